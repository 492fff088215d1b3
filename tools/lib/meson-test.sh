# Reading the summary of a `meson test` log; sourced by tools/dev and
# tools/cross-aarch64, which sum their runs into one closing line.

# meson_summary LOG KEY: N from the summary line "KEY: N" (0 when absent).
meson_summary() {
  local n
  n=$(sed -n "s/^$2: *\([0-9]*\).*/\1/p" "$1" | tail -1)
  echo "${n:-0}"
}

# count_results LOG: appends "passed failed" to $LOCDET_TEST_COUNTS;
# timeouts count as failures.
count_results() {
  echo "$(meson_summary "$1" Ok) $(( $(meson_summary "$1" Fail) + $(meson_summary "$1" Timeout) ))" \
    >> "$LOCDET_TEST_COUNTS"
}
