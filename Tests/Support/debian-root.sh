#!/usr/bin/env bash
# A minimal Debian root for the package's install test (PackageInstallTests), as root.
#
#   debian-root.sh base TAR        make TAR (a minbase root of this machine's release) unless it exists
#   debian-root.sh unpack TAR DIR  unpack it into DIR, with this machine's resolv.conf
#   debian-root.sh run DIR CMD...  run CMD chrooted in DIR, /proc and /dev mounted in a mount
#                                  namespace of its own (they go away with it, whatever happens)
#
# The mirror is this machine's: its deb822 apt sources, read now, never a host name written here.
# Its apt settings that the mirror needs (Acquire::Check-*, ::http::, ::Retries) are copied into the root, and a proxy saved by
# script/test in LOTBOX_APT_PROXY (the tests themselves run without one) is used for the downloads.
set -euo pipefail

apt_options() {
    local file
    for file in /etc/apt/apt.conf.d/*; do
        [ -f "$file" ] && grep -Eq '^[[:space:]]*Acquire::(Check-Valid-Until|Check-Date|https?::|Retries)' "$file" \
            && printf -- '--aptopt=%s\n' "$file"
    done
    if [ -n "${LOTBOX_APT_PROXY:-}" ]; then
        printf -- '--aptopt=Acquire::http::Proxy "%s"\n' "$LOTBOX_APT_PROXY"
    fi
}

case "${1:-}" in
    base)
        tar="$2"
        [ -s "$tar" ] && exit 0
        . /etc/os-release
        sources=()
        for file in /etc/apt/sources.list.d/*.sources; do [ -f "$file" ] && sources+=("$file"); done
        [ ${#sources[@]} -gt 0 ] || { echo "debian-root: no deb822 apt sources in /etc/apt/sources.list.d" >&2; exit 69; }
        mapfile -t options < <(apt_options)
        mmdebstrap --quiet --variant=minbase --format=tar "${options[@]}" "$VERSION_CODENAME" "$tar.partial" "${sources[@]}"
        mv "$tar.partial" "$tar"
        ;;
    unpack)
        tar="$2"; dir="$3"
        mkdir -p "$dir"
        tar -C "$dir" -xf "$tar"
        cp -L /etc/resolv.conf "$dir/etc/resolv.conf"
        ;;
    run)
        dir="$2"; shift 2
        proxy=()
        [ -n "${LOTBOX_APT_PROXY:-}" ] && proxy=(http_proxy="$LOTBOX_APT_PROXY")
        exec unshare --mount --propagation private -- /bin/sh -c '
            dir=$1; shift
            mount -t proc proc "$dir/proc" && mount --rbind /dev "$dir/dev" && mount -t tmpfs -o mode=0755 tmpfs "$dir/run" || exit 71
            exec chroot "$dir" "$@"' sh "$dir" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
            DEBIAN_FRONTEND=noninteractive "${proxy[@]}" "$@"
        ;;
    *)
        echo "debian-root.sh: expected base TAR, unpack TAR DIR or run DIR CMD..." >&2
        exit 64
        ;;
esac
