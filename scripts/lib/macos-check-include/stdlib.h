/* For type-checking only (see README.md). */
#pragma once
#include <stddef.h>
void abort(void) __attribute__((noreturn));
void *malloc(size_t n);
void free(void *p);
