#!/bin/sh
# Registered in place of a suite whose tool is missing: 77 is meson's skip,
# which ./tools/dev test counts as a failure.
echo "skipped: $*" >&2
exit 77
