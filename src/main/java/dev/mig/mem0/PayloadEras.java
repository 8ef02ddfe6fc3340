package dev.mig.mem0;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mig.data.Timestamps;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.codec.digest.DigestUtils;

/** Counts of the payload eras of a collection's rows (MEM0.md's payload table), for inventory. */
public final class PayloadEras {
    private final Map<String, Long> createdAt = new TreeMap<>();
    private final Map<String, Long> updatedAt = new TreeMap<>();
    private long rows;
    private long hashMissing;
    private long hashStale;
    private long lemmatizedMissing;
    private long identityRows;
    private long notObjects;

    public void add(Object payload) {
        rows++;
        if (!(payload instanceof JsonNode node) || !node.isObject()) {
            notObjects++;
            return;
        }
        if ("user_identity".equals(text(node.get("type")))) {
            identityRows++;
            return;
        }
        createdAt.merge(Timestamps.era(node.get("created_at")), 1L, Long::sum);
        updatedAt.merge(Timestamps.era(node.get("updated_at")), 1L, Long::sum);
        String data = text(node.get("data"));
        String hash = text(node.get("hash"));
        if (hash == null) {
            hashMissing++;
        } else if (data != null && !hash.equals(DigestUtils.md5Hex(data.getBytes(StandardCharsets.UTF_8)))) {
            hashStale++;
        }
        if (node.get("text_lemmatized") == null) {
            lemmatizedMissing++;
        }
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    public String describe() {
        return "created_at " + counts(createdAt) + "; updated_at " + counts(updatedAt) + "; hash missing " + hashMissing
                + ", stale " + hashStale + "; text_lemmatized missing " + lemmatizedMissing
                + (identityRows > 0 ? "; user_identity rows " + identityRows : "")
                + (notObjects > 0 ? "; payload not a JSON object " + notObjects : "");
    }

    private static String counts(Map<String, Long> counts) {
        if (counts.isEmpty()) {
            return "-";
        }
        StringBuilder out = new StringBuilder();
        counts.forEach((era, n) -> out.append(out.length() > 0 ? ", " : "").append(era).append(' ').append(n));
        return out.toString();
    }

    public long rows() {
        return rows;
    }
}
