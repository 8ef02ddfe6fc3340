package dev.mig.syntax;

import java.lang.reflect.RecordComponent;
import java.util.List;

/** Structural equality of AST nodes that ignores where they were written (spans). */
public final class AstEquality {
    private AstEquality() {
    }

    /** A description of the first difference, or null when the trees are equal. */
    public static String difference(Object a, Object b, String path) {
        if (a == null || b == null) {
            return a == b ? null : path + ": " + a + " vs " + b;
        }
        if (a instanceof Span && b instanceof Span) {
            return null;
        }
        if (a.getClass() != b.getClass()) {
            return path + ": " + a.getClass().getSimpleName() + " vs " + b.getClass().getSimpleName();
        }
        if (a instanceof List<?> la) {
            List<?> lb = (List<?>) b;
            if (la.size() != lb.size()) {
                return path + ": " + la.size() + " items vs " + lb.size();
            }
            for (int i = 0; i < la.size(); i++) {
                String d = difference(la.get(i), lb.get(i), path + "[" + i + "]");
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        if (a.getClass().isRecord()) {
            for (RecordComponent component : a.getClass().getRecordComponents()) {
                if (component.getName().equals("source") && a instanceof Script) {
                    continue; // a script's text differs after formatting by design
                }
                try {
                    Object va = component.getAccessor().invoke(a);
                    Object vb = component.getAccessor().invoke(b);
                    String d = difference(va, vb, path + "." + component.getName());
                    if (d != null) {
                        return d;
                    }
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
            return null;
        }
        return a.equals(b) ? null : path + ": " + a + " vs " + b;
    }
}
