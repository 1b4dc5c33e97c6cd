"""Each command's setup, named after the command: what it needs gathered, checked and opened
(config, history, locks) so the command itself only parses its arguments and prints."""
