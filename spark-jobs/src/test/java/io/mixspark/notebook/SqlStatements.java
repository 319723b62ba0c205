package io.mixspark.notebook;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a {@code %sql} paragraph into statements at semicolons outside quotes, backticks and
 * comments, as Zeppelin's SQL interpreters do.
 */
final class SqlStatements {

    private SqlStatements() {
    }

    /** The non-blank statements of {@code text}, without their semicolons. */
    static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            int end = skip(text, i);
            if (end > i) {
                current.append(text, i, end);
                i = end;
            } else if (c == ';') {
                add(out, current);
                current.setLength(0);
                i++;
            } else {
                current.append(c);
                i++;
            }
        }
        add(out, current);
        return out;
    }

    /** {@code sql} without its comments. */
    static String stripComments(String sql) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < sql.length()) {
            int end = skip(sql, i);
            if (end > i) {
                if (!sql.startsWith("--", i) && !sql.startsWith("/*", i)) {
                    out.append(sql, i, end);
                } else {
                    out.append(' ');
                }
                i = end;
            } else {
                out.append(sql.charAt(i++));
            }
        }
        return out.toString();
    }

    /** The end of the quoted string or comment that starts at {@code i}, or {@code i}. */
    private static int skip(String s, int i) {
        char c = s.charAt(i);
        if (c == '\'' || c == '"' || c == '`') {
            int j = i + 1;
            while (j < s.length() && s.charAt(j) != c) {
                j += s.charAt(j) == '\\' && c != '`' ? 2 : 1;
            }
            return Math.min(j + 1, s.length());
        }
        if (s.startsWith("--", i)) {
            int newline = s.indexOf('\n', i);
            return newline < 0 ? s.length() : newline;
        }
        if (s.startsWith("/*", i)) {
            int close = s.indexOf("*/", i + 2);
            return close < 0 ? s.length() : close + 2;
        }
        return i;
    }

    private static void add(List<String> out, StringBuilder statement) {
        if (!stripComments(statement.toString()).isBlank()) {
            out.add(statement.toString().trim());
        }
    }
}
