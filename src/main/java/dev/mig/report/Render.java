package dev.mig.report;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheFactory;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * The report as text, through mustache templates (src/main/resources/dev/mig/report): HTML with {{ }}
 * escaped as HTML, Markdown with {{ }} made safe for a GFM table cell (pipes escaped, one line).
 */
public final class Render {
    private static final MustacheFactory HTML = new DefaultMustacheFactory("dev/mig/report");
    private static final MustacheFactory MARKDOWN = new DefaultMustacheFactory("dev/mig/report") {
        @Override
        public void encode(String value, Writer writer) {
            try {
                writer.write(value.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " "));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    private Render() {
    }

    public static String html(Model.Report report) {
        return render(HTML.compile("report.html.mustache"), report);
    }

    public static String markdown(Model.Report report) {
        return render(MARKDOWN.compile("report.md.mustache"), report);
    }

    private static String render(Mustache template, Model.Report report) {
        StringWriter out = new StringWriter();
        template.execute(out, report);
        return out.toString();
    }
}
