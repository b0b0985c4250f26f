"""The translators' review app: aligned beads side by side in the browser, every change kept with its history."""
