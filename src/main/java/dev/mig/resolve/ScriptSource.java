package dev.mig.resolve;

/** A script file's name and text, as read (or as a test or the REPL gives it). */
public record ScriptSource(String file, String text) {
}
