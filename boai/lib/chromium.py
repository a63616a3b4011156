"""How Boai starts Debian's Chromium for browser tests and screenshots (never a downloaded browser).
The flags keep it from reaching out to the network, which this project's machines do not have."""

EXECUTABLE = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
