//! The network side of the clock check: SNTP over UDP with timeouts, then the HTTPS
//! `Date` fallback. Async, so the app never waits on the network in its UI thread.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::net::UdpSocket;
use tokio::time::timeout;

use super::sntp::{self, PACKET_LEN, Sample};
use super::{ClockError, DEFAULT_HTTPS_URL, DEFAULT_SERVERS, Measurement, Source, http_date};

#[derive(Debug, Clone, PartialEq)]
pub struct ClockConfig {
    /// `host` or `host:port` (default port 123), tried in order.
    pub servers: Vec<String>,
    /// Used when no NTP server answers; `None` disables the fallback.
    pub https_url: Option<String>,
    /// Per request.
    pub timeout: Duration,
    /// Round trips per server; the one with the shortest delay is kept.
    pub samples: usize,
}

impl Default for ClockConfig {
    fn default() -> Self {
        ClockConfig {
            servers: DEFAULT_SERVERS.iter().map(|s| s.to_string()).collect(),
            https_url: Some(DEFAULT_HTTPS_URL.to_owned()),
            timeout: Duration::from_secs(2),
            samples: 4,
        }
    }
}

fn now() -> f64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs_f64()).unwrap_or_default()
}

fn with_port(server: &str) -> String {
    let has_port = match server.rsplit_once(':') {
        Some((host, port)) => !host.is_empty() && port.parse::<u16>().is_ok() && (!host.contains(':') || host.ends_with(']')),
        None => false,
    };
    if has_port {
        server.to_owned()
    } else if server.contains(':') {
        format!("[{server}]:123")
    } else {
        format!("{server}:123")
    }
}

async fn ntp(server: &str, config: &ClockConfig) -> Result<Sample, String> {
    let address = tokio::net::lookup_host(with_port(server)).await.map_err(|e| format!("cannot resolve: {e}"))?.next().ok_or("cannot resolve")?;
    let local = if address.is_ipv4() { "0.0.0.0:0" } else { "[::]:0" };
    let socket = UdpSocket::bind(local).await.map_err(|e| e.to_string())?;
    socket.connect(address).await.map_err(|e| e.to_string())?;
    let mut best: Option<Sample> = None;
    let mut last_error = String::from("no reply");
    for _ in 0..config.samples.max(1) {
        let sent = now();
        let request = sntp::request(sent);
        if let Err(e) = socket.send(&request).await {
            last_error = e.to_string();
            continue;
        }
        let mut buffer = [0u8; 2 * PACKET_LEN];
        // Replies to an earlier, timed-out request are skipped by the origin check.
        let outcome = timeout(config.timeout, async {
            loop {
                let n = socket.recv(&mut buffer).await.map_err(|e| e.to_string())?;
                match sntp::parse_reply(&buffer[..n], &request, sent, now()) {
                    Err(sntp::SntpError::OriginMismatch) => continue,
                    other => return other.map_err(|e| e.to_string()),
                }
            }
        })
        .await;
        match outcome {
            Ok(Ok(sample)) => {
                if best.is_none_or(|b| sample.delay < b.delay) {
                    best = Some(sample);
                }
            }
            Ok(Err(e)) => last_error = e,
            Err(_) => {
                last_error = format!("no reply within {:.1} s", config.timeout.as_secs_f64());
                // A server silent on the first try is most likely blocked; move on.
                if best.is_none() {
                    break;
                }
            }
        }
    }
    best.ok_or(last_error)
}

async fn https(url: &str, config: &ClockConfig) -> Result<(f64, f64), String> {
    let client =
        reqwest::Client::builder().timeout(config.timeout * 2).redirect(reqwest::redirect::Policy::none()).build().map_err(|e| e.to_string())?;
    let sent = now();
    let reply = client.head(url).send().await.map_err(|e| if e.is_timeout() { "no reply in time".to_owned() } else { e.to_string() })?;
    let received = now();
    let header = reply.headers().get(reqwest::header::DATE).and_then(|v| v.to_str().ok());
    http_date::offset_from_date(header, sent, received).map_err(|e| e.to_string())
}

/// Tries each NTP server in turn, then the HTTPS fallback. The error lists every source
/// that was tried and why it failed.
pub async fn measure(config: &ClockConfig) -> Result<Measurement, ClockError> {
    ensure_crypto_provider();
    let mut failures = Vec::new();
    for server in &config.servers {
        match ntp(server, config).await {
            Ok(sample) => {
                return Ok(Measurement { offset: sample.offset, uncertainty: sample.delay / 2.0, source: Source::Ntp { server: server.clone() } });
            }
            Err(e) => failures.push((server.clone(), e)),
        }
    }
    if let Some(url) = &config.https_url {
        match https(url, config).await {
            Ok((offset, uncertainty)) => {
                return Ok(Measurement { offset, uncertainty, source: Source::Https { url: url.clone() } });
            }
            Err(e) => failures.push((url.clone(), e)),
        }
    }
    Err(ClockError(failures))
}

/// rustls needs one process-wide crypto provider; ring builds everywhere without cmake.
fn ensure_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports() {
        assert_eq!(with_port("ntp.nict.jp"), "ntp.nict.jp:123");
        assert_eq!(with_port("127.0.0.1:11123"), "127.0.0.1:11123");
        assert_eq!(with_port("::1"), "[::1]:123");
        assert_eq!(with_port("[::1]:5"), "[::1]:5");
    }

    /// A UDP server on loopback that answers like an NTP server whose clock is `skew`
    /// seconds ahead of ours; `None` never answers.
    async fn fake_server(skew: Option<f64>) -> String {
        let socket = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let address = socket.local_addr().unwrap().to_string();
        tokio::spawn(async move {
            let mut buf = [0u8; 64];
            while let Ok((n, peer)) = socket.recv_from(&mut buf).await {
                if let (Some(skew), Ok(req)) = (skew, <[u8; PACKET_LEN]>::try_from(&buf[..n])) {
                    let reply = sntp::tests::reply(&req, now() + skew, 0.0);
                    let _ = socket.send_to(&reply, peer).await;
                }
            }
        });
        address
    }

    fn config(servers: Vec<String>) -> ClockConfig {
        ClockConfig { servers, https_url: None, timeout: Duration::from_millis(300), samples: 3 }
    }

    #[tokio::test]
    async fn measures_against_a_server_and_falls_through_silent_ones() {
        let silent = fake_server(None).await;
        let ahead = fake_server(Some(74.0)).await;
        let m = measure(&config(vec![silent.clone(), ahead.clone()])).await.unwrap();
        assert!((m.offset - 74.0).abs() < 0.05, "{m:?}");
        assert_eq!(m.source, Source::Ntp { server: ahead });
        let err = measure(&config(vec![silent.clone()])).await.unwrap_err();
        assert_eq!(err.0[0].0, silent);
        assert!(err.0[0].1.contains("no reply within 0.3 s"), "{err}");
    }
}
