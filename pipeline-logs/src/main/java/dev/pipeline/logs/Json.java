package dev.pipeline.logs;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A small JSON (RFC 8259) reader and writer for log lines: {@link #readObject} reads one object
 * into its members, string values unescaped, other values (numbers, {@code true}, {@code false},
 * {@code null}, nested objects and arrays) kept as their JSON text; {@link #quote} writes a string.
 * It checks the whole text, so a truncated or malformed line is refused with the position.
 */
final class Json {
    /** Deeper nesting is refused rather than risking the stack. */
    private static final int MAX_DEPTH = 256;

    private final String s;
    private int p;
    private int depth;

    private Json(String s) {
        this.s = s;
    }

    /** A text that is not one JSON object; the message says where and why. */
    static final class SyntaxException extends Exception {
        private static final long serialVersionUID = 1L;

        SyntaxException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Reads one JSON object, with nothing but white space around it.
     *
     * @param text the text
     * @return its members in order; a repeated name keeps its last value
     * @throws SyntaxException if the text is not exactly one JSON object
     */
    static Map<String, String> readObject(String text) throws SyntaxException {
        Json j = new Json(text);
        j.ws();
        Map<String, String> members = j.object();
        j.ws();
        if (j.p != text.length()) {
            throw j.error("text after the object");
        }
        return members;
    }

    /** The JSON string literal of {@code value}, quotes included. */
    static String quote(String value) {
        ByteOut out = new ByteOut(value.length() + 2);
        out.put('"');
        out.text(value, ByteOut.Escape.JSON);
        out.put('"');
        return out.toString();
    }

    private Map<String, String> object() throws SyntaxException {
        expect('{');
        nest();
        Map<String, String> members = new LinkedHashMap<>();
        ws();
        if (peek() == '}') {
            p++;
            depth--;
            return members;
        }
        while (true) {
            ws();
            if (peek() != '"') {
                throw error("a member name (a string) expected");
            }
            String name = string();
            ws();
            expect(':');
            ws();
            members.put(name, peek() == '"' ? string() : rawValue());
            ws();
            char c = next();
            if (c == '}') {
                depth--;
                return members;
            }
            if (c != ',') {
                throw error("',' or '}' expected");
            }
        }
    }

    /** A value other than a string, as its text. */
    private String rawValue() throws SyntaxException {
        int start = p;
        skipValue();
        return s.substring(start, p);
    }

    private void skipValue() throws SyntaxException {
        char c = peek();
        switch (c) {
            case '"' -> string();
            case '{' -> object(); // parsed like the top one; the value keeps its text
            case '[' -> {
                p++;
                nest();
                ws();
                if (peek() == ']') {
                    p++;
                    depth--;
                    return;
                }
                while (true) {
                    ws();
                    skipValue();
                    ws();
                    char d = next();
                    if (d == ']') {
                        depth--;
                        return;
                    }
                    if (d != ',') {
                        throw error("',' or ']' expected");
                    }
                }
            }
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> number();
        }
    }

    private void nest() throws SyntaxException {
        if (++depth > MAX_DEPTH) {
            throw error("nested more than " + MAX_DEPTH + " deep");
        }
    }

    private void literal(String word) throws SyntaxException {
        if (!s.startsWith(word, p)) {
            throw error("a value expected");
        }
        p += word.length();
    }

    private void number() throws SyntaxException {
        int start = p;
        if (peek() == '-') {
            p++;
        }
        if (peek() == '0') {
            p++;
        } else if (digits() == 0) {
            p = start;
            throw error("a value expected");
        }
        if (peek() == '.') {
            p++;
            if (digits() == 0) {
                throw error("a digit expected");
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            p++;
            if (peek() == '+' || peek() == '-') {
                p++;
            }
            if (digits() == 0) {
                throw error("a digit expected");
            }
        }
    }

    private int digits() {
        int start = p;
        while (p < s.length() && s.charAt(p) >= '0' && s.charAt(p) <= '9') {
            p++;
        }
        return p - start;
    }

    private String string() throws SyntaxException {
        expect('"');
        int start = p;
        // the common case, no escape: one substring
        while (p < s.length()) {
            char c = s.charAt(p);
            if (c == '"') {
                return s.substring(start, p++);
            }
            if (c == '\\' || c < 0x20) {
                break;
            }
            p++;
        }
        StringBuilder sb = new StringBuilder(s.length() - start);
        sb.append(s, start, p);
        while (true) {
            if (p >= s.length()) {
                throw error("unterminated string");
            }
            char c = s.charAt(p++);
            if (c == '"') {
                return sb.toString();
            }
            if (c < 0x20) {
                p--;
                throw error("control character in a string");
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> sb.append(hex4());
                default -> {
                    p--;
                    throw error("bad escape '\\" + e + "'");
                }
            }
        }
    }

    private char hex4() throws SyntaxException {
        if (p + 4 > s.length()) {
            throw error("4 hex digits expected");
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(s.charAt(p + i), 16);
            if (d < 0) {
                throw error("4 hex digits expected");
            }
            v = v * 16 + d;
        }
        p += 4;
        return (char) v; // a lone surrogate stays one; a pair comes out as two chars, as written
    }

    private void ws() {
        while (p < s.length()) {
            char c = s.charAt(p);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            p++;
        }
    }

    private char peek() {
        return p < s.length() ? s.charAt(p) : '\0';
    }

    private char next() throws SyntaxException {
        if (p >= s.length()) {
            throw error("unexpected end");
        }
        return s.charAt(p++);
    }

    private void expect(char c) throws SyntaxException {
        if (peek() != c) {
            throw error("'" + c + "' expected");
        }
        p++;
    }

    private SyntaxException error(String what) {
        return new SyntaxException("bad JSON at column " + (p + 1) + ": " + what);
    }
}
