#!/bin/sh
# Install Enrollment Viewer for this user, from the folder this script is in (the release
# tarball's enroll-viewer/). No root needed; nothing outside your home folder is touched.
#
#   ./install.sh              program in ~/.local/opt/enroll-viewer, menu entry and icon,
#                             `enroll-viewer` in ~/.local/bin
#   ./install.sh --desktop    the same, plus an icon on the desktop
#   ./install.sh --uninstall  remove all of that again; your connections, keys, settings and
#                             logs stay (remove ~/.config/enroll-viewer and
#                             ~/.local/state/enroll-viewer for those)
#
# Installing over an older version replaces its program files wholesale.
set -eu

APP_ID=enroll-viewer
NAME="Enrollment Viewer"
DATA_HOME=${XDG_DATA_HOME:-$HOME/.local/share}
OPT="$HOME/.local/opt/$APP_ID"
BIN="$HOME/.local/bin"
APPLICATIONS="$DATA_HOME/applications"
ICONS="$DATA_HOME/icons/hicolor"
DESKTOP_FILE="$APP_ID.desktop"
SOURCE=$(cd "$(dirname "$0")" && pwd -P)

say() { printf '%s\n' "$*"; }
fail() { printf 'install.sh: %s\n' "$*" >&2; exit 1; }

desktop_dir() {
    dir=""
    if command -v xdg-user-dir >/dev/null 2>&1; then
        dir=$(xdg-user-dir DESKTOP 2>/dev/null || true)
    fi
    if [ -z "$dir" ] || [ "$dir" = "$HOME" ]; then
        dir="$HOME/Desktop"
    fi
    printf '%s\n' "$dir"
}

refresh_caches() {
    if command -v update-desktop-database >/dev/null 2>&1; then
        update-desktop-database -q "$APPLICATIONS" 2>/dev/null || true
    fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -d "$ICONS" ]; then
        gtk-update-icon-cache -q -t -f "$ICONS" 2>/dev/null || true
    fi
}

uninstall() {
    rm -rf "$OPT"
    rm -f "$APPLICATIONS/$DESKTOP_FILE"
    rm -f "$(desktop_dir)/$DESKTOP_FILE"
    for icon in "$ICONS"/*/apps/"$APP_ID".png "$ICONS"/scalable/apps/"$APP_ID".svg; do
        [ -e "$icon" ] && rm -f "$icon"
    done
    # The command link only if it is ours.
    if [ -L "$BIN/$APP_ID" ] && [ "$(readlink "$BIN/$APP_ID")" = "$OPT/$APP_ID" ]; then
        rm -f "$BIN/$APP_ID"
    fi
    refresh_caches
    say "$NAME is uninstalled."
    say "Your connections, settings and logs are still in ~/.config/$APP_ID and"
    say "~/.local/state/$APP_ID, and keys in your keyring (remove those by hand if you wish)."
}

write_desktop_entry() {  # $1: where
    # Exec and TryExec quoted: a home folder may have spaces in its name.
    sed -e "s|^Exec=.*|Exec=\"$OPT/$APP_ID\" %u|" \
        -e "/^TryExec=/d" \
        -e "s|^Icon=.*|Icon=$APP_ID|" \
        "$RESOURCES/$DESKTOP_FILE" > "$1.tmp"
    printf 'TryExec=%s\n' "$OPT/$APP_ID" >> "$1.tmp"
    mv "$1.tmp" "$1"
}

install() {  # $1: 1 for a desktop icon
    [ -x "$SOURCE/$APP_ID" ] || fail "no $APP_ID program beside this script in $SOURCE"
    RESOURCES=""
    for dir in "$SOURCE/_internal/resources" "$SOURCE/resources"; do
        if [ -f "$dir/$DESKTOP_FILE" ]; then RESOURCES=$dir; break; fi
    done
    [ -n "$RESOURCES" ] || fail "no resources/$DESKTOP_FILE in $SOURCE"

    if [ "$SOURCE" != "$OPT" ]; then
        # Copy beside, then swap: the old version's files go wholesale, never half-replaced.
        mkdir -p "$(dirname "$OPT")"
        staging="$OPT.new.$$"
        rm -rf "$staging"
        cp -R "$SOURCE" "$staging"
        rm -rf "$OPT"
        mv "$staging" "$OPT"
        RESOURCES="$OPT${RESOURCES#"$SOURCE"}"
    fi

    for png in "$RESOURCES"/icons/icon-*.png; do
        [ -e "$png" ] || continue
        size=${png##*/icon-}
        size=${size%.png}
        mkdir -p "$ICONS/${size}x${size}/apps"
        cp "$png" "$ICONS/${size}x${size}/apps/$APP_ID.png"
    done
    if [ -f "$RESOURCES/icon.svg" ]; then
        mkdir -p "$ICONS/scalable/apps"
        cp "$RESOURCES/icon.svg" "$ICONS/scalable/apps/$APP_ID.svg"
    fi

    mkdir -p "$APPLICATIONS"
    write_desktop_entry "$APPLICATIONS/$DESKTOP_FILE"

    mkdir -p "$BIN"
    if [ ! -e "$BIN/$APP_ID" ] || [ -L "$BIN/$APP_ID" ]; then
        ln -sfn "$OPT/$APP_ID" "$BIN/$APP_ID"
    fi

    if [ "$1" = 1 ]; then
        desktop=$(desktop_dir)
        mkdir -p "$desktop"
        write_desktop_entry "$desktop/$DESKTOP_FILE"
        chmod +x "$desktop/$DESKTOP_FILE"  # desktops start only launchers marked executable
        if command -v gio >/dev/null 2>&1; then  # GNOME: "Allow Launching" without asking
            gio set "$desktop/$DESKTOP_FILE" metadata::trusted true 2>/dev/null || true
        fi
    fi
    refresh_caches
    say "$NAME is installed in $OPT."
    say "Start it from your applications menu, or run: $BIN/$APP_ID"
}

desktop=0
action=install
for arg in "$@"; do
    case $arg in
        --desktop) desktop=1 ;;
        --uninstall) action=uninstall ;;
        -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) fail "unknown option $arg (try --help)" ;;
    esac
done
if [ "$action" = uninstall ]; then uninstall; else install "$desktop"; fi
