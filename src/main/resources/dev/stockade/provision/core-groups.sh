#!/bin/bash
# Removes the core user from the groups given as arguments (installed by Stockade).
# On Flatcar many groups live in /usr/share/baselayout/group (read through nss-altfiles), which
# is read-only: such a group is copied into /etc/group without core, so /etc/group wins lookups.
# Afterwards the script checks what the system reports and fails loudly if core is still a member.
set -euo pipefail
user=core
base=${STOCKADE_BASELAYOUT_GROUP:-/usr/share/baselayout/group}  # overridable for tests

without_user() {
    awk -F: -v OFS=: -v u="$user" '{
        n = split($4, m, ","); s = ""
        for (i = 1; i <= n; i++) if (m[i] != u && m[i] != "") s = s (s == "" ? "" : ",") m[i]
        $4 = s; print }'
}

for g in "$@"; do
    if grep -q "^${g}:" /etc/group; then
        if grep "^${g}:" /etc/group | cut -d: -f4 | tr ',' '\n' | grep -qx "$user"; then
            gpasswd -d "$user" "$g" >/dev/null
        fi
    elif [ -r "$base" ] && grep -q "^${g}:" "$base"; then
        grep "^${g}:" "$base" | without_user >> /etc/group
    fi
done

status=0
for g in "$@"; do
    if id -nG "$user" | tr ' ' '\n' | grep -qx "$g"; then
        echo "stockade: $user is still a member of $g" >&2
        status=1
    fi
done
exit $status
