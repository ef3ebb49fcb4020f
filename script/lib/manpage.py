#!/usr/bin/env python3
"""lotbox(1) in roff, from the CLI's own help (`lotbox --experimental-dump-help`, the JSON that
swift-argument-parser writes). One page: every command and subcommand with its options, so
`man lotbox` says what `lotbox help` says, and cannot drift from it.

    manpage.py HELP.json VERSION DATE > lotbox.1
"""
import json
import sys


def roff(text):
    """Text safe in a roff line: backslashes escaped, no line starting as a request."""
    text = (text or "").replace("\\", "\\e").replace("-", "\\-")
    lines = []
    for line in text.split("\n"):
        if line.startswith((".", "'")):
            line = "\\&" + line
        lines.append(line)
    return "\n".join(lines)


def option_name(argument):
    names = argument.get("names") or []
    spelled = []
    for name in names:
        prefix = "-" if name["kind"] == "short" else "--"
        spelled.append("\\fB" + roff(prefix + name["name"]) + "\\fR")
    if argument["kind"] == "positional":
        spelled = ["\\fI" + roff(argument.get("valueName", "value")) + "\\fR"]
    head = ", ".join(spelled)
    if argument["kind"] == "option":
        head += " \\fI" + roff(argument.get("valueName", "value")) + "\\fR"
    if argument.get("isRepeating"):
        head += " ..."
    return head


def command_section(command, path, out):
    shown = [a for a in command.get("arguments") or [] if a.get("shouldDisplay", True)
             and not (a.get("names") and a["names"][0]["name"] in ("help", "h", "version"))]
    subcommands = [c for c in command.get("subcommands") or [] if c.get("shouldDisplay", True)
                   and c["commandName"] != "help"]
    out.append(".SS " + roff(" ".join(path)))
    if command.get("abstract"):
        out.append(roff(command["abstract"]))
    if command.get("discussion"):
        out.append(".PP")
        out.append(roff(command["discussion"]))
    for argument in shown:
        out.append(".TP")
        out.append(option_name(argument))
        text = argument.get("abstract") or ""
        if argument.get("defaultValue") not in (None, ""):
            text += " (default: %s)" % argument["defaultValue"]
        out.append(roff(text) if text else "\\&")
    for sub in subcommands:
        command_section(sub, path + [sub["commandName"]], out)


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: manpage.py HELP.json VERSION DATE")
    with open(sys.argv[1], encoding="utf-8") as handle:
        root = json.load(handle)["command"]
    version, date = sys.argv[2], sys.argv[3]
    out = [
        '.TH LOTBOX 1 "%s" "lotbox %s" "lotbox manual"' % (roff(date), roff(version)),
        ".SH NAME",
        "lotbox \\- " + roff(root.get("abstract") or "label printing and barcode tracking"),
        ".SH SYNOPSIS",
        "\\fBlotbox\\fR \\fIcommand\\fR [\\fIoptions\\fR]",
        ".SH DESCRIPTION",
        roff("lotbox keeps a lot store in the OpenTHC data model, prints labels through CUPS and IPP "
             "printers, reads barcode scanners at the dock and the kiosk, and answers the OpenTHC "
             "REST API (lotbox serve). Every command answers --help."),
        ".SH COMMANDS",
    ]
    for sub in root.get("subcommands") or []:
        if sub.get("shouldDisplay", True) and sub["commandName"] != "help":
            command_section(sub, ["lotbox", sub["commandName"]], out)
    out += [
        ".SH FILES",
        ".TP", roff("/etc/lotbox/lotbox.toml"), roff("The configuration (lotbox install writes a first one)."),
        ".TP", roff("/var/lib/lotbox/lotbox.sqlite"), roff("The lot store."),
        ".TP", roff("/var/backups/lotbox"), roff("Nightly backups (lotbox-backup.timer)."),
        ".TP", roff("/usr/share/lotbox/templates"), roff("The label templates."),
        ".TP", roff("/usr/share/doc/lotbox/examples/lotbox.toml.example"), roff("The example configuration, every key explained."),
        ".SH ENVIRONMENT",
        ".TP", "LOTBOX_DB", roff("The store, when --db is not given."),
        ".TP", "LOTBOX_CONFIG", roff("The configuration file, when --config is not given."),
        ".SH SEE ALSO",
        roff("/usr/share/doc/lotbox/README.md, systemctl(1), journalctl(1)"),
    ]
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
