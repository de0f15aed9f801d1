/* For type-checking only (see README.md). */
#pragma once
#define assert(e) ((void)0)
