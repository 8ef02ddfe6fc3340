package dev.mig.syntax;

import java.util.List;

/**
 * A dotted name: {@code conn}, {@code conn.table}, {@code col.key.key2}, or {@code col.*} when
 * {@code star} is set (the star is not among the parts).
 */
public record QName(List<String> parts, boolean star, Span span) implements Expr {
    @Override
    public <R, A> R accept(Expr.Visitor<R, A> visitor, A arg) {
        return visitor.visitName(this, arg);
    }

    public QName {
        // the same instances as the columns' names (see Column); List.copyOf keeps one- and two-part names
        // in the small list class the evaluator's call sites are compiled for
        parts = List.copyOf(parts.stream().map(String::intern).toList());
    }

    public String first() {
        return parts.get(0);
    }

    public int size() {
        return parts.size();
    }

    /** The name as it would be written in a script, quoting parts that need it. */
    public String source() {
        StringBuilder out = new StringBuilder();
        for (String part : parts) {
            if (out.length() > 0) {
                out.append('.');
            }
            out.append(Names.quoteIfNeeded(part));
        }
        if (star) {
            out.append(".*");
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return source();
    }
}
