# Step runner sourced by setup.sh and test.sh (not run on its own).
#   step "what it does" COMMAND [ARGS...]
# prints the step's number and name, runs the command (its output shows as
# it comes), then the time it took; a failing step is named, with its time,
# and ends the script with the command's status. `steps_done` prints every
# step's time and the total. STEPS_TAG prefixes the lines (default: the
# script's name).

STEPS_TAG="${STEPS_TAG:-$(basename "$0" .sh)}"
STEPS_NAMES=()
STEPS_SECS=()
STEPS_CURRENT=""
STEPS_T0="$EPOCHREALTIME"
STEPS_STEP_T0=""

# Seconds since $1 (an $EPOCHREALTIME), one decimal.
steps_since() {
  awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'
}

# "12.3 s" or "4 min 05 s".
steps_human() {
  awk -v s="$1" 'BEGIN { if (s < 60) printf "%.1f s", s; else printf "%d min %02d s", s / 60, s % 60 }'
}

steps_on_exit() {
  local rc=$?
  if [ "$rc" -ne 0 ] && [ -n "$STEPS_CURRENT" ]; then
    printf '%s: ✗ %s failed (exit %d) after %s; fix what is printed above and run again (finished steps are skipped)\n' \
      "$STEPS_TAG" "$STEPS_CURRENT" "$rc" "$(steps_human "$(steps_since "$STEPS_STEP_T0")")" >&2
  fi
}
trap steps_on_exit EXIT

step() {
  local name="$1"
  shift
  local n=$((${#STEPS_NAMES[@]} + 1))
  printf '%s [%d] %s\n' "$STEPS_TAG" "$n" "$name"
  STEPS_CURRENT="$name"
  STEPS_STEP_T0="$EPOCHREALTIME"
  "$@"
  local secs
  secs=$(steps_since "$STEPS_STEP_T0")
  STEPS_CURRENT=""
  STEPS_NAMES+=("$name")
  STEPS_SECS+=("$secs")
  printf '%s [%d] ✓ %s (%s)\n' "$STEPS_TAG" "$n" "$name" "$(steps_human "$secs")"
}

steps_done() {
  local i
  printf '%s: done in %s\n' "$STEPS_TAG" "$(steps_human "$(steps_since "$STEPS_T0")")"
  for i in "${!STEPS_NAMES[@]}"; do
    printf '  %8s  %s\n' "$(steps_human "${STEPS_SECS[$i]}")" "${STEPS_NAMES[$i]}"
  done
}
