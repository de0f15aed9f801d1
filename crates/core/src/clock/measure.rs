//! The network side of the clock check: SNTP over UDP with timeouts, and the HTTPS `Date`
//! header beside it. Async, so the app never waits on the network in its UI thread.

use std::net::SocketAddr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::net::UdpSocket;
use tokio::time::timeout;

use super::sntp::{self, PACKET_LEN, Sample};
use super::{ClockError, DEFAULT_HTTPS_URL, DEFAULT_SERVERS, Measurement, Readings, Source, http_date};

/// NTP servers are asked in turn until this many answered: a correction needs two sources
/// that agree, and the HTTPS one may be blocked or absent.
const NTP_WANTED: usize = 2;

#[derive(Debug, Clone, PartialEq)]
pub struct ClockConfig {
    /// `host` or `host:port` (default port 123), tried in order.
    pub servers: Vec<String>,
    /// Asked beside the NTP servers: the one source an on-path attacker cannot forge
    /// without a certificate, and the one that works where UDP 123 is blocked. `None`
    /// leaves it out.
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

async fn resolve(server: &str) -> Result<SocketAddr, String> {
    tokio::net::lookup_host(with_port(server)).await.map_err(|e| format!("cannot resolve: {e}"))?.next().ok_or_else(|| "cannot resolve".to_owned())
}

async fn ntp(address: SocketAddr, config: &ClockConfig) -> Result<Sample, String> {
    let local = if address.is_ipv4() { "0.0.0.0:0" } else { "[::]:0" };
    let socket = UdpSocket::bind(local).await.map_err(|e| e.to_string())?;
    socket.connect(address).await.map_err(|e| e.to_string())?;
    let mut best: Option<Sample> = None;
    let mut last_error = String::from("no reply");
    for _ in 0..config.samples.max(1) {
        let request = sntp::request(sntp::nonce().map_err(|e| e.to_string())?);
        let sent = now();
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

/// NTP servers in turn until [`NTP_WANTED`] answered. Two names for one address are one
/// source, so a list that repeats a server cannot make it agree with itself.
async fn ntp_sources(config: &ClockConfig) -> (Vec<Measurement>, Vec<(String, String)>) {
    let (mut answered, mut failures) = (Vec::new(), Vec::new());
    let mut asked: Vec<(SocketAddr, &str)> = Vec::new();
    for server in &config.servers {
        if answered.len() >= NTP_WANTED {
            break;
        }
        let address = match resolve(server).await {
            Ok(address) => address,
            Err(e) => {
                failures.push((server.clone(), e));
                continue;
            }
        };
        if let Some((_, first)) = asked.iter().find(|(a, _)| *a == address) {
            failures.push((server.clone(), format!("the same server as {first} ({address})")));
            continue;
        }
        asked.push((address, server));
        match ntp(address, config).await {
            Ok(sample) => {
                answered.push(Measurement { offset: sample.offset, uncertainty: sample.delay / 2.0, source: Source::Ntp { server: server.clone() } })
            }
            Err(e) => failures.push((server.clone(), e)),
        }
    }
    (answered, failures)
}

/// Asks the NTP servers and the HTTPS source at the same time (the latter as a task of its
/// own). The error lists every source that was tried and why it failed.
pub async fn measure(config: &ClockConfig) -> Result<Readings, ClockError> {
    ensure_crypto_provider();
    let web = config.https_url.clone().map(|url| {
        let config = config.clone();
        (url.clone(), tokio::spawn(async move { https(&url, &config).await }))
    });
    let (mut measurements, mut failures) = ntp_sources(config).await;
    if let Some((url, task)) = web {
        match task.await.map_err(|e| e.to_string()).and_then(|r| r) {
            Ok((offset, uncertainty)) => measurements.push(Measurement { offset, uncertainty, source: Source::Https { url } }),
            Err(e) => failures.push((url, e)),
        }
    }
    Readings::new(measurements, failures)
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
        let r = measure(&config(vec![silent.clone(), ahead.clone()])).await.unwrap();
        let m = r.primary();
        assert!((m.offset - 74.0).abs() < 0.05, "{m:?}");
        assert_eq!(m.source, Source::Ntp { server: ahead });
        assert_eq!(r.failures()[0].0, silent);
        let err = measure(&config(vec![silent.clone()])).await.unwrap_err();
        assert_eq!(err.0[0].0, silent);
        assert!(err.0[0].1.contains("no reply within 0.3 s"), "{err}");
    }

    #[tokio::test]
    async fn asks_until_two_distinct_servers_answered() {
        let (a, b, c) = (fake_server(Some(5.0)).await, fake_server(Some(25.0)).await, fake_server(Some(9.0)).await);
        let r = measure(&config(vec![a.clone(), a.clone(), b.clone(), c])).await.unwrap();
        let asked: Vec<_> = r.all().iter().map(|m| m.source.clone()).collect();
        assert_eq!(asked, [Source::Ntp { server: a.clone() }, Source::Ntp { server: b }], "the third server is not needed");
        assert_eq!(r.failures(), [(a.clone(), format!("the same server as {a} ({a})"))]);
        assert!((r.all()[1].offset - 25.0).abs() < 0.05, "{r:?}");
    }
}
