/* For type-checking only (see docs/design.md, "Platforms"). */
#pragma once
#include <stddef.h>
void abort(void) __attribute__((noreturn));
void *malloc(size_t n);
void free(void *p);
