#!/usr/bin/python3
# check-names.py
#
# Copyright 2026 The Natter authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Drives a running Natter through the accessibility bus only, as a screen
# reader or a black-box UI test does: finds the controls by the accessible
# names the desktop-app issue lists; types and sends a message; scrolls up
# with the wheel while the reply streams and jumps back; stops replies with
# "Stop" and with Escape; Ctrl+N, Ctrl+, and Ctrl+Shift+I; switches the
# connection from the dropdown; types a model in the header bar and reads it
# back with natter-cli, then changes it with natter-cli and sees the header
# follow; asks to delete a connection and cancels; fills in and saves a new
# connection; opens the model list of Fetch models; checks that every control
# taking the focus in each window has a name (the button inside "Connection
# profile" too), the text size reads as a percentage and Ctrl+W closes the
# secondary windows; and checks the app logged no critical error meanwhile.
# Prints TAP.
#
# Usage: check-names.py PID APP_ID [APP_STDERR_FILE]

import os
import subprocess
import sys
import time

import gi

gi.require_version("Atspi", "2.0")
from gi.repository import Atspi, Gio, GLib  # noqa: E402

PID = int(sys.argv[1])
APP_ID = sys.argv[2]
APP_STDERR = sys.argv[3] if len(sys.argv) > 3 else None

n = 0
failed = False


def report(good, description, detail=None):
    global n, failed
    n += 1
    print(("ok" if good else "not ok") + " %d - %s" % (n, description))
    if not good:
        failed = True
        if detail:
            for line in str(detail).splitlines():
                print("# " + line)
    sys.stdout.flush()


def children(acc):
    try:
        count = acc.get_child_count()
    except GLib.Error:
        return []
    result = []
    for i in range(count):
        try:
            child = acc.get_child_at_index(i)
        except GLib.Error:
            continue
        if child is not None:
            result.append(child)
    return result


def walk(acc, depth=0):
    yield acc
    if depth > 60:
        return
    for child in children(acc):
        yield from walk(child, depth + 1)


def showing(acc):
    # GTK 4.8 marks widgets "visible" but not "showing"; hidden ones it
    # leaves out of the tree or unmarked.
    try:
        states = acc.get_state_set()
    except GLib.Error:
        return False
    return (states.contains(Atspi.StateType.SHOWING) or
            states.contains(Atspi.StateType.VISIBLE))


def application():
    desktop = Atspi.get_desktop(0)
    for app in children(desktop):
        try:
            if app.get_process_id() == PID:
                return app
        except GLib.Error:
            continue
    return None


def wait_for(predicate, timeout=10.0):
    end = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > end:
            return value
        time.sleep(0.1)


def find(name, roles=None, root=None, timeout=10.0):
    """The showing accessible named @name (with one of @roles), or None."""
    def look():
        top = root or application()
        if top is None:
            return None
        for acc in walk(top):
            try:
                if acc.get_name() != name:
                    continue
                if roles and acc.get_role_name() not in roles:
                    continue
            except GLib.Error:
                continue
            if showing(acc):
                return acc
        return None
    return wait_for(look, timeout)


def names_seen(root=None):
    top = root or application()
    seen = []
    if top is None:
        return "no application on the bus"
    for acc in walk(top):
        try:
            if acc.get_name() and showing(acc):
                seen.append("%s (%s)" % (acc.get_name(), acc.get_role_name()))
        except GLib.Error:
            continue
    return "showing: " + ", ".join(seen[:80])


def click(acc):
    try:
        count = Atspi.Action.get_n_actions(acc)
        for i in range(count):
            if Atspi.Action.get_action_name(acc, i) in ("click", "activate", "press"):
                return Atspi.Action.do_action(acc, i)
        return count > 0 and Atspi.Action.do_action(acc, 0)
    except GLib.Error:
        return False


def text_of(acc):
    try:
        return Atspi.Text.get_text(acc, 0, Atspi.Text.get_character_count(acc))
    except GLib.Error:
        return None


def path_of(acc):
    names = []
    try:
        node = acc.get_parent()
        while node is not None and len(names) < 6:
            label = node.get_name()
            if label:
                names.append("%s (%s)" % (label, node.get_role_name()))
            node = node.get_parent()
    except GLib.Error:
        pass
    return " in ".join(names) or "?"


# The roles of controls a person operates. Scroll panes and the rows of
# list views also take the focus in GTK 4.8, but they are containers: a
# screen reader reads the row's content, and GTK 4.8 has no way to name a
# list view's row widget.
CONTROLS = ("push button", "toggle button", "check box", "radio button", "combo box",
            "text", "entry", "password text", "spin button", "slider", "switch",
            "menu item", "check menu item", "radio menu item", "link", "page tab")


def unnamed_focusable(root):
    """Every showing control that takes the focus and has no name: what a
    screen reader would announce as a bare role ("toggle button")."""
    bad = []
    if root is None:
        return ["no window"]
    for acc in walk(root):
        try:
            states = acc.get_state_set()
            if not states.contains(Atspi.StateType.FOCUSABLE) or not showing(acc):
                continue
            if acc.get_role_name() not in CONTROLS:
                continue
            name = (acc.get_name() or "").strip()
            # Without a name GTK 4.8 offers the widget's type name
            # ("GtkToggleButton"), which says nothing to a person either.
            if not name or (name.startswith(("Gtk", "Adw", "Natter")) and " " not in name):
                bad.append("%s %r %s" % (acc.get_role_name(), name, path_of(acc)))
        except GLib.Error:
            continue
    return bad


def check_all_named(root, where):
    bad = unnamed_focusable(root)
    report(not bad, "every control that takes the focus in %s has a name" % where,
           "unnamed: " + "; ".join(bad[:20]))


BUTTON = ("push button", "toggle button")
WINDOW = ("frame", "dialog", "window")

app = wait_for(application, 20)
report(app is not None, "the app is on the accessibility bus")
if app is None:
    print("1..%d" % n)
    sys.exit(1)

# ------------------------------------------------------------- main window
profile = find("Connection profile")
report(profile is not None, 'the profile dropdown is named "Connection profile"', names_seen())

composer = find("Message")
report(composer is not None, 'the composer is named "Message"', names_seen())

send = find("Send", BUTTON)
report(send is not None, 'the send button is named "Send"', names_seen())

# The dropdown's own button (what takes the focus) says what it is.
inner = None
if profile is not None:
    for acc in walk(profile):
        if acc is not profile and acc.get_role_name() in BUTTON:
            inner = acc
            break
inner_name = inner.get_name() if inner is not None else None
report(inner_name == "Connection profile",
       'the button inside "Connection profile" is named "Connection profile"', "named %r" % inner_name)
chooser = find("Choose a model", BUTTON, root=app, timeout=3)
report(chooser is not None, 'the model selector\'s button is named "Choose a model"', names_seen())
check_all_named(find("Natter", WINDOW, root=app, timeout=2), "the main window")

# Type a message the way a person does: click into the composer, type.
typed = False
if composer is not None:
    try:
        box = composer.get_extents(Atspi.CoordType.SCREEN)
        x, y = box.x + box.width // 2, box.y + box.height // 2
        Atspi.generate_mouse_event(x, y, "abs")
        Atspi.generate_mouse_event(x, y, "b1c")
    except GLib.Error as e:
        print("# no extents: %s" % e)
    time.sleep(0.3)
    Atspi.generate_keyboard_event(0, "Hello over the bus", Atspi.KeySynthType.STRING)

    typed = wait_for(lambda: "Hello over the bus" in (text_of(composer) or ""), 5)
    if not typed:
        print("# composer text: %r" % text_of(composer))
report(bool(typed), "text typed into the composer shows in it")

stop = None
if send is not None and typed:
    click(send)
    stop = find("Stop", BUTTON, timeout=10)
report(stop is not None, 'while the reply streams, a button named "Stop" shows', names_seen())

# Scrolling up with the wheel while the reply grows: the view stays where
# it was taken and offers a way back; that way back follows the reply again.
jump = None
if stop is not None:
    listing = find("Messages", None, root=app, timeout=3)
    time.sleep(2.5)
    if listing is not None:
        box = listing.get_extents(Atspi.CoordType.SCREEN)
        cx, cy = box.x + box.width // 2, box.y + box.height // 2
        Atspi.generate_mouse_event(cx, cy, "abs")
        for _ in range(6):
            Atspi.generate_mouse_event(cx, cy, "b4c")
            time.sleep(0.05)
        jump = find("Jump to Latest", BUTTON, root=app, timeout=5)
report(jump is not None, 'scrolling up while a reply streams shows a button named "Jump to Latest"', names_seen())
if jump is not None:
    time.sleep(1.0)
    still = find("Jump to Latest", BUTTON, root=app, timeout=0.5)
    report(still is not None, "the view does not follow the reply while scrolled up", names_seen())
    click(jump)
    back = wait_for(lambda: find("Jump to Latest", BUTTON, root=app, timeout=0.2) is None, 5)
    report(bool(back), '"Jump to Latest" goes back to the newest text and the button goes away', names_seen())
else:
    report(False, "the view does not follow the reply while scrolled up")
    report(False, '"Jump to Latest" goes back to the newest text and the button goes away')

if stop is not None:
    click(stop)
    back = wait_for(lambda: find("Send", BUTTON, timeout=0.2) and not find("Stop", BUTTON, timeout=0.2), 10)
    report(bool(back), '"Stop" stops the reply: "Send" is back and "Stop" gone', names_seen())
else:
    report(False, '"Stop" stops the reply: "Send" is back and "Stop" gone')

# ---------------------------------------------------------------- keyboard
def press(keysym, modifiers=0):
    if modifiers:
        Atspi.generate_keyboard_event(modifiers, None, Atspi.KeySynthType.LOCKMODIFIERS)
    Atspi.generate_keyboard_event(keysym, None, Atspi.KeySynthType.SYM)
    if modifiers:
        Atspi.generate_keyboard_event(modifiers, None, Atspi.KeySynthType.UNLOCKMODIFIERS)


SHIFT, CONTROL = 1 << 0, 1 << 2
KEY_Return, KEY_Escape, KEY_i, KEY_n, KEY_comma = 0xff0d, 0xff1b, 0x69, 0x6e, 0x2c
KEY_w = 0x77

# Enter sends, Escape stops.
escaped = False
if typed:
    Atspi.generate_keyboard_event(0, "Once more", Atspi.KeySynthType.STRING)
    wait_for(lambda: "Once more" in (text_of(composer) or ""), 5)
    press(KEY_Return)
    if find("Stop", BUTTON, timeout=10) is not None:
        press(KEY_Escape)
        escaped = wait_for(lambda: find("Send", BUTTON, timeout=0.2) and not find("Stop", BUTTON, timeout=0.2), 10)
report(bool(escaped), "Enter sends the message and Escape stops the reply", names_seen())

# Ctrl+N starts a new chat (straight away when there is no character to
# choose from): the message list empties. Ctrl+, opens the preferences.
messages = find("Messages", ("list", "list box", "table", "tree table"), root=app, timeout=5)


def n_messages():
    try:
        return messages.get_child_count()
    except GLib.Error:
        return -1


had = messages is not None and wait_for(lambda: n_messages() > 0, 5)
report(bool(had), 'the chat\'s messages are in a list named "Messages"', names_seen())
emptied = False
if had:
    press(KEY_n, CONTROL)
    emptied = wait_for(lambda: n_messages() == 0, 8)
report(bool(emptied), "Ctrl+N starts a new, empty chat", "messages still listed: %d" % n_messages())

press(KEY_comma, CONTROL)
preferences = find("Preferences", WINDOW, root=app, timeout=8)
report(preferences is not None, 'Ctrl+, opens a window named "Preferences"', names_seen())
if preferences is not None:
    check_all_named(preferences, "the preferences")
    size = find("Text size", ("spin button",), root=preferences, timeout=3)
    size_text = text_of(size) if size is not None else None
    report(size_text == "100 %", 'the text size reads as a percentage ("100 %")', "reads %r" % size_text)
    press(KEY_w, CONTROL)
    closed = wait_for(lambda: find("Preferences", WINDOW, root=app, timeout=0.2) is None, 8)
    report(bool(closed), "Ctrl+W closes the preferences", names_seen())

# Switch to the other connection from the dropdown with the keyboard: the
# dropdown and the model field show it.
KEY_Down = 0xff54
switched = False
toggle = None
if profile is not None:
    for acc in walk(profile):
        if acc.get_role_name() == "push button":
            toggle = acc
            break
if toggle is not None:
    click(toggle)
    time.sleep(0.5)
    press(KEY_Down)
    press(KEY_Return)

    def shows_other():
        for acc in walk(toggle):
            try:
                if acc.get_name() == "Other":
                    return True
            except GLib.Error:
                continue
        return False
    switched = wait_for(shows_other, 5)
report(bool(switched), 'choosing "Other" in "Connection profile" switches to it', names_seen(profile) if profile else None)
model_field = find("Model", ("text", "entry"), root=app, timeout=3)
model_text = text_of(model_field) if model_field is not None else None
report(model_text == "other-model", "the model field shows the model of the chosen connection",
       "model field: %r" % model_text)

# A model typed in the header bar belongs to the connection: saved at once
# (natter-cli, another process, reads it from the database).
CLI = os.environ.get("NATTER_CLI")


def saved_model(name):
    try:
        out = subprocess.run([CLI, "profile", "show", name], capture_output=True, text=True,
                             timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    for line in out.splitlines():
        key, _, value = line.partition(":")
        if key.strip().lower() == "model":
            return value.strip()
    return None


picked = None
if model_field is not None and CLI:
    try:
        box = model_field.get_extents(Atspi.CoordType.SCREEN)
        Atspi.generate_mouse_event(box.x + box.width // 2, box.y + box.height // 2, "b1c")
        time.sleep(0.3)
        Atspi.EditableText.set_text_contents(model_field, "other-picked")
        time.sleep(0.2)
        press(KEY_Return)
    except GLib.Error as e:
        print("# could not type the model: %s" % e)
    picked = wait_for(lambda: saved_model("Other") == "other-picked", 5)
report(bool(picked), "a model typed in the header bar is saved with the connection at once",
       "natter-cli says the model of Other is %r" % (saved_model("Other") if CLI else "(no NATTER_CLI)"))

# natter-cli changes that connection while the app runs: the header bar
# shows the new model.
followed = False
if picked:
    subprocess.run([CLI, "profile", "update", "Other", "--model", "other-model"],
                   capture_output=True, timeout=10)
    followed = wait_for(lambda: text_of(model_field) == "other-model", 5)
report(bool(followed), "a model changed with natter-cli while the app runs shows in the header bar",
       "model field: %r" % (text_of(model_field) if model_field is not None else None))

# That connection's key is refused: the reply shows the error in words
# and a "Retry" button.
retry = None
if switched and composer is not None:
    try:
        box = composer.get_extents(Atspi.CoordType.SCREEN)
        Atspi.generate_mouse_event(box.x + box.width // 2, box.y + box.height // 2, "b1c")
    except GLib.Error:
        pass
    time.sleep(0.3)
    Atspi.generate_keyboard_event(0, "Are you there", Atspi.KeySynthType.STRING)
    wait_for(lambda: "Are you there" in (text_of(composer) or ""), 5)
    press(KEY_Return)
    retry = find("Retry", BUTTON, root=app, timeout=10)
report(retry is not None, 'a refused key shows a "Retry" button on the failed reply', names_seen())


def error_words():
    for acc in walk(app):
        try:
            name = acc.get_name() or ""
            if acc.get_role_name() == "label" and "Invalid API key" in name:
                return name
        except GLib.Error:
            continue
    return None


words = retry is not None and wait_for(error_words, 5)
report(bool(words), "the error is said in words, with the provider's message", words or names_seen())
if words:
    report("Incorrect API key provided" in words and "sk-a11y-test" not in words,
           "the provider's message is shown and the key is not", words)
else:
    report(False, "the provider's message is shown and the key is not")

# ------------------------------------------------------- connection manager
bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
actions = Gio.DBusActionGroup.get(bus, APP_ID, "/" + APP_ID.replace(".", "/"))
actions.activate_action("connections", None)

connections = find("Connections", WINDOW, root=app, timeout=10)
report(connections is not None, 'the connection manager window is named "Connections"', names_seen())

new = find("New Connection", BUTTON, root=connections) if connections else None
report(new is not None, 'it has a button named "New Connection"', names_seen(connections))

delete = find("Delete", BUTTON, root=connections) if connections else None
report(delete is not None, 'each connection has a button named "Delete"', names_seen(connections))

# Deleting asks first, with buttons named for what they do.
confirm = None
if delete is not None:
    click(delete)
    confirm = find("Delete \u201cFake\u201d?", WINDOW + ("alert",), root=app, timeout=8)
cancel = find("Cancel", BUTTON, root=confirm, timeout=3) if confirm else None
really = find("Delete", BUTTON, root=confirm, timeout=3) if confirm else None
report(cancel is not None and really is not None,
       'deleting a connection asks first, with buttons named "Cancel" and "Delete"',
       names_seen(confirm) if confirm else names_seen())
if cancel is not None:
    click(cancel)
    gone = wait_for(lambda: find("Delete \u201cFake\u201d?", WINDOW + ("alert",), root=app, timeout=0.2) is None, 8)
    report(bool(gone) and find("Fake", None, root=connections, timeout=3) is not None,
           '"Cancel" closes the question and keeps the connection', names_seen(connections))
else:
    report(False, '"Cancel" closes the question and keeps the connection')

found = {}
if new is not None:
    click(new)
    for name in ("Test", "Fetch models", "Set API key"):
        found[name] = find(name, BUTTON, root=app, timeout=8)
for name in ("Test", "Fetch models", "Set API key"):
    report(found.get(name) is not None, 'the connection form has a button named "%s"' % name, names_seen())
check_all_named(connections, "the connection form")

# Fill in the form and save: the new connection is listed.
name_field = find("Name", ("text", "entry"), root=connections, timeout=5) if connections else None
report(name_field is not None, 'the form has a text field named "Name"', names_seen(connections))
saved = False
if name_field is not None:
    try:
        Atspi.EditableText.set_text_contents(name_field, "Made Over The Bus")
    except GLib.Error as e:
        print("# could not type the name: %s" % e)
    model_field = find("Model", ("text", "entry"), root=connections, timeout=2)
    if model_field is not None:
        try:
            Atspi.EditableText.set_text_contents(model_field, "gpt-test")
        except GLib.Error:
            pass
    save = find("Save", BUTTON, root=connections, timeout=3)
    if save is not None:
        click(save)
        saved = find("Made Over The Bus", ("list item",), root=connections, timeout=8) is not None
report(saved, "a connection filled in and saved through the form is listed", names_seen(connections))

# Fetch models from a saved connection: the model list names its controls
# and Ctrl+W closes it.
edit_fake = None
if connections is not None:
    for acc in walk(connections):
        try:
            if (acc.get_name() == "Edit" and acc.get_role_name() in BUTTON and
                    acc.get_description() == "Fake" and showing(acc)):
                edit_fake = acc
                break
        except GLib.Error:
            continue
model_list = None
if edit_fake is not None:
    click(edit_fake)
    fetch = find("Fetch models", BUTTON, root=connections, timeout=5)
    if fetch is not None:
        click(fetch)
        model_list = find("Choose a Model", WINDOW, root=app, timeout=8)
report(model_list is not None, 'Fetch models opens a window named "Choose a Model"', names_seen())
if model_list is not None:
    report(find("gpt-test", None, root=model_list, timeout=8) is not None,
           "it lists the provider's models", names_seen(model_list))
    check_all_named(model_list, "the model list")
    press(KEY_w, CONTROL)
    gone = wait_for(lambda: find("Choose a Model", WINDOW, root=app, timeout=0.2) is None, 8)
    report(bool(gone), "Ctrl+W closes the model list", names_seen())
    cancel_form = find("Cancel", BUTTON, root=connections, timeout=3)
    if cancel_form is not None:
        click(cancel_form)

# ------------------------------------------ characters, personas, lorebooks
# Each opens from the main window by its shortcut, names every control,
# and closes with Escape.
# The connection manager from above is still open: close it first.
connections = find("Connections", WINDOW, root=app, timeout=0.5)
if connections is not None:
    close_button = find("Close", BUTTON, root=connections, timeout=2)
    if close_button is not None:
        click(close_button)
    wait_for(lambda: find("Connections", WINDOW, root=app, timeout=0.2) is None, 8)

for keysym, title in ((0x06e, "New Character"), (0x070, "Personas"), (0x06c, "Lorebooks")):
    main_window = find("Natter", WINDOW, root=app, timeout=2)
    if main_window is not None:
        try:
            box = main_window.get_extents(Atspi.CoordType.SCREEN)
            Atspi.generate_mouse_event(box.x + box.width // 2, box.y + 20, "abs")
        except GLib.Error:
            pass
    press(keysym, CONTROL | SHIFT)
    window = find(title, WINDOW, root=app, timeout=8)
    tops = []
    for k in range(app.get_child_count()):
        try:
            top = app.get_child_at_index(k)
            tops.append("%s (%s)" % (top.get_name(), top.get_role_name()))
        except GLib.Error:
            pass
    report(window is not None, 'Ctrl+Shift+%s opens a window named "%s"' % (chr(keysym).upper(), title),
           "windows: " + ", ".join(tops))
    if window is None:
        continue
    # With something to edit, the form's controls too.
    for button in {"Personas": ("Add Persona",), "Lorebooks": ("New Lorebook", "Add Entry")}.get(title, ()):
        found = find(button, BUTTON, root=window, timeout=3)
        report(found is not None, 'the "%s" window has a button named "%s"' % (title, button),
               names_seen(window))
        if found is not None:
            click(found)
            time.sleep(0.5)
    check_all_named(window, 'the "%s" window' % title)
    if title == "New Character":
        name_field = find("Name", ("text", "entry"), root=window, timeout=3)
        report(name_field is not None, 'the character editor has a field named "Name"', names_seen(window))
        for label in ("Description", "First Message", "Alternate Greetings", "Save", "Choose Image…"):
            report(find(label, None, root=window, timeout=2) is not None,
                   'the character editor has a control named "%s"' % label, names_seen(window))
    press(KEY_Escape)
    closed = wait_for(lambda: find(title, WINDOW, root=app, timeout=0.2) is None, 8)
    report(bool(closed), 'Escape closes the "%s" window' % title, names_seen())

# ------------------------------------------------------- request inspector
# Ctrl+Shift+I from the main window.
main = find("Natter", WINDOW, root=app, timeout=2)
if main is not None:
    try:
        box = main.get_extents(Atspi.CoordType.SCREEN)
        Atspi.generate_mouse_event(box.x + box.width // 2, box.y + 20, "abs")
    except GLib.Error:
        pass
press(KEY_i, CONTROL | SHIFT)
inspector = find("Request Inspector", WINDOW, root=app, timeout=10)
report(inspector is not None, 'Ctrl+Shift+I opens a window named "Request Inspector"', names_seen())


def exchange_listed():
    for acc in walk(inspector):
        try:
            if "gpt-test" in (acc.get_name() or ""):
                return True
        except GLib.Error:
            continue
    return False


listed = inspector is not None and wait_for(exchange_listed, 5)
report(bool(listed), "the inspector lists the exchange that was just sent (model gpt-test)",
       names_seen(inspector) if inspector else None)
if inspector is not None:
    check_all_named(inspector, "the inspector")
    press(KEY_w, CONTROL)
    closed = wait_for(lambda: find("Request Inspector", WINDOW, root=app, timeout=0.2) is None, 8)
    report(bool(closed), "Ctrl+W closes the Request Inspector", names_seen())

if APP_STDERR is not None:
    with open(APP_STDERR, errors="replace") as f:
        complaints = [line.rstrip() for line in f if "-CRITICAL" in line or "-ERROR" in line]
    report(not complaints, "the app logged no critical error meanwhile", "\n".join(complaints[:10]))

print("1..%d" % n)
sys.exit(1 if failed else 0)
