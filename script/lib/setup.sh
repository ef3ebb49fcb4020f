# Shared by script/test and script/demo: installs the Debian packages lotbox builds and tests
# with, only when one is missing (no network use on a machine that has them all).
LOTBOX_PACKAGES=(
    libsqlite3-dev sqlite3 pkg-config                  # the lot store
    libqrencode-dev libzint-dev zlib1g-dev             # barcodes and PNG output
    libcairo2-dev libpango1.0-dev fonts-dejavu-core   # label text and layout
    fonts-noto-color-emoji                             # tests: a colour font that preflight must refuse
    libcups2-dev                                       # PWG raster and printing
    libxkbcommon-dev xkb-data libssl-dev               # scanners: keyboard layouts, scan-log hashes
    cups cups-ipp-utils dbus                           # tests: a real IPP printer (ippeveprinter) and a private cupsd
    python3-zxing-cpp python3-pil zbar-tools poppler-utils  # tests: real decoders on what was rendered
    python3-venv                                       # tests: the virtual environment of script/requirements-test.txt
    faketime tzdata                                    # tests: the real binary at 23:30 in a shop's time zone; dates need tzdata
    libsodium-dev                                      # the API's v2024 boxes (crypto_box) and session ids
    wrk                                                # `lotbox bench api`: load from a second process
    chromium chromium-driver                           # tests: the staff screens in a real headless browser (selenium)
    openssl                                            # tests: the openssl command reads what `lotbox api cert` wrote
    lprint                                             # tests: LPrint in front of a Zebra stand-in (ZPL and PWG in, ZPL out)
    dpkg-dev binutils lintian                          # script/package: dpkg-shlibdeps, strip, lintian
    mmdebstrap util-linux                              # tests: a minimal Debian root the package is installed into
)

ensure_packages() {
    local missing=()
    for package in "${LOTBOX_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "installing: ${missing[*]}" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}
