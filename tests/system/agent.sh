#!/bin/bash
# SPDX-License-Identifier: EUPL-1.2
# The system test's hand inside the VM (installed into the image by tests/system/image.sh,
# started by oase-vm-agent.service): reads one command per line from the second serial port
# (/dev/ttyS1, a socket on the host), each a base64-encoded bash script, runs it as root and
# answers with "@@OUT <base64 of its output>" and "@@RC <exit status>". Base64 both ways: no
# terminal setting can change a byte. "@@UP <uptime>" says the agent (re)started (a boot).
set -u
PORT=/dev/ttyS1
stty -F "$PORT" raw -echo -echoe -echok -icrnl -onlcr -opost 115200 || exit 1
exec <"$PORT" >"$PORT" 2>&1
printf '@@UP %s\n' "$(cut -d' ' -f1 /proc/uptime)"
while IFS= read -r line; do
    line=${line%$'\r'}
    [ -n "$line" ] || continue
    if ! printf '%s' "$line" | base64 -d >/run/oase-vm-cmd.sh 2>/dev/null; then
        printf '@@OUT %s\n@@RC 254\n' "$(printf 'agent: not base64: %.60s' "$line" | base64 -w0)"
        continue
    fi
    out=$(bash /run/oase-vm-cmd.sh </dev/null 2>&1)
    rc=$?
    printf '@@OUT %s\n@@RC %d\n' "$(printf '%s' "$out" | base64 -w0)" "$rc"
done
