package dev.mig.mem0;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mig.data.Timestamps;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.codec.digest.DigestUtils;

/**
 * Counts of the payload eras of a collection's rows (MEM0.md's payload table), for inventory. Each row is read in
 * its SDK's convention: Python keys ({@code created_at}, {@code text_lemmatized}) or TypeScript keys
 * ({@code createdAt}, {@code textLemmatized}, v2's camelCase ids).
 */
public final class PayloadEras {
    private final Map<String, Long> createdAt = new TreeMap<>();
    private final Map<String, Long> updatedAt = new TreeMap<>();
    private long rows;
    private long hashMissing;
    private long hashStale;
    private long lemmatizedMissing;
    private long identityRows;
    private long notObjects;
    private long tsRows;
    private long tsV2Ids;

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
        boolean ts = isTypeScript(node);
        if (ts) {
            tsRows++;
            if (node.has("userId") || node.has("agentId") || node.has("runId")) {
                tsV2Ids++;
            }
        }
        createdAt.merge(Timestamps.era(node.get(ts ? "createdAt" : "created_at")), 1L, Long::sum);
        updatedAt.merge(Timestamps.era(node.get(ts ? "updatedAt" : "updated_at")), 1L, Long::sum);
        String data = text(node.get("data"));
        String hash = text(node.get("hash"));
        if (hash == null) {
            hashMissing++;
        } else if (data != null && !hash.equals(DigestUtils.md5Hex(data.getBytes(StandardCharsets.UTF_8)))) {
            hashStale++;
        }
        if (node.get(ts ? "textLemmatized" : "text_lemmatized") == null) {
            lemmatizedMissing++;
        }
    }

    /** The TypeScript SDK's keys (MEM0.md section 3): camelCase timestamps, lemmas or v2 ids. */
    static boolean isTypeScript(JsonNode payload) {
        return payload.has("createdAt") || payload.has("updatedAt") || payload.has("textLemmatized")
                || payload.has("userId") || payload.has("agentId") || payload.has("runId");
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    public String describe() {
        String keys = tsRows == 0 ? "" : "TypeScript keys " + tsRows + " (v2 camelCase ids " + tsV2Ids + "), Python keys "
                + (rows - tsRows - identityRows - notObjects) + "; ";
        return keys + "created_at " + counts(createdAt) + "; updated_at " + counts(updatedAt) + "; hash missing " + hashMissing
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
