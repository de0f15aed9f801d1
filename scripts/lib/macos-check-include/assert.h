/* For type-checking only (see docs/design.md, "Platforms"). */
#pragma once
#define assert(e) ((void)0)
