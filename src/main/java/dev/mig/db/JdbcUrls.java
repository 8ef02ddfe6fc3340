package dev.mig.db;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** JDBC URL facts without a connection; above all, hiding passwords. */
public final class JdbcUrls {
    private static final Pattern PARAM = Pattern.compile(
            "(?i)([?&;](?:password|passwd|pwd|sslpassword|secret|token|apikey|api_key)=)(?!\\$\\{)[^&;'\"\\s]*");
    private static final Pattern USERINFO = Pattern.compile("(//[^/:@?\\s'\"]*:)[^@/?\\s'\"]*@");

    private JdbcUrls() {
    }

    /** The URL with every password replaced by ***, safe to print or store. */
    public static String redact(String url) {
        if (url == null) {
            return null;
        }
        String out = PARAM.matcher(url).replaceAll("$1***");
        return USERINFO.matcher(out).replaceAll("$1***@");
    }

    /** Any text (a script line, a message) with the passwords of URLs in it replaced by ***. */
    public static String redactText(String text) {
        return text == null ? null : redact(text);
    }

    /** Replaces any occurrence of the secrets of {@code url} in {@code text} (e.g. a driver message). */
    public static String scrub(String text, String url) {
        if (text == null || url == null) {
            return text;
        }
        String out = text.replace(url, redact(url));
        for (String secret : secrets(url)) {
            if (secret.length() >= 3) {
                out = out.replace(secret, "***");
            }
        }
        return out;
    }

    /**
     * The whole chain of causes of {@code e} as printStackTrace writes it, for MIG_DEBUG: every URL's
     * password masked, and the secrets of {@code urls} (the connections' own, resolved from ${VAR}s)
     * masked wherever they appear, also without their URL around them. The one way mig prints a trace.
     */
    public static String stackTrace(Throwable e, Iterable<String> urls) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        String text = redactText(trace.toString());
        for (String url : urls) {
            text = scrub(text, url);
        }
        return text.stripTrailing();
    }

    private static List<String> secrets(String url) {
        List<String> found = new ArrayList<>();
        Matcher m = PARAM.matcher(url);
        while (m.find()) {
            found.add(url.substring(m.end(1), m.end()));
        }
        Matcher u = USERINFO.matcher(url);
        while (u.find()) {
            found.add(url.substring(u.end(1), u.end() - 1));
        }
        return found;
    }

    /** "postgresql", "sqlite", or the sub-protocol of another JDBC URL. */
    public static String kind(String url) {
        if (url != null && url.startsWith("faiss:")) {
            return "faiss"; // mem0's FAISS store, a folder read through an in-memory SQLite (FaissStore)
        }
        if (url == null || !url.startsWith("jdbc:")) {
            return "unknown";
        }
        int colon = url.indexOf(':', 5);
        return colon < 0 ? url.substring(5) : url.substring(5, colon);
    }
}
