package io.mixspark.report;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * One self-contained HTML page: a table of facts, then sections that each hold a PNG chart
 * (embedded as a {@code data:image/png;base64} URI) or a note saying why it is absent. The page
 * loads nothing from elsewhere.
 */
public final class HtmlReport {

    private final String title;
    private final List<String> sections = new ArrayList<>();
    private int charts;

    public HtmlReport(String title) {
        this.title = title;
    }

    /** A two-column table of named values. */
    public HtmlReport facts(String heading, Map<String, String> values) {
        StringBuilder s = new StringBuilder("<section><h2>").append(escape(heading)).append("</h2><table>");
        values.forEach((k, v) -> s.append("<tr><th>").append(escape(k)).append("</th><td>").append(escape(v))
                .append("</td></tr>"));
        sections.add(s.append("</table></section>").toString());
        return this;
    }

    /** A chart with a caption. */
    public HtmlReport chart(String heading, String caption, byte[] png) {
        charts++;
        sections.add("<section><h2>" + escape(heading) + "</h2><p>" + escape(caption) + "</p><img alt=\""
                + escape(heading) + "\" width=\"" + ReportCharts.WIDTH + "\" height=\"" + ReportCharts.HEIGHT
                + "\" src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(png) + "\"></section>");
        return this;
    }

    /** A section whose chart cannot be drawn, and why. */
    public HtmlReport absent(String heading, String why) {
        sections.add("<section><h2>" + escape(heading) + "</h2><p class=\"absent\">" + escape(why) + "</p></section>");
        return this;
    }

    /** Number of charts added. */
    public int charts() {
        return charts;
    }

    public String render() {
        StringBuilder s = new StringBuilder();
        s.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(escape(title))
                .append("</title>\n<style>body{font-family:sans-serif;margin:2em auto;max-width:900px;color:#222}"
                        + "table{border-collapse:collapse}th,td{text-align:left;padding:2px 12px 2px 0;"
                        + "vertical-align:top}th{font-weight:600}img{display:block;max-width:100%;height:auto;"
                        + "border:1px solid #ddd}.absent{color:#8a6d3b;background:#fcf8e3;padding:.5em}</style>"
                        + "</head>\n<body><h1>").append(escape(title)).append("</h1>\n");
        sections.forEach(section -> s.append(section).append('\n'));
        return s.append("</body></html>\n").toString();
    }

    static String escape(String text) {
        StringBuilder s = new StringBuilder(text.length());
        for (char ch : text.toCharArray()) {
            switch (ch) {
                case '&' -> s.append("&amp;");
                case '<' -> s.append("&lt;");
                case '>' -> s.append("&gt;");
                case '"' -> s.append("&quot;");
                case '\'' -> s.append("&#39;");
                default -> s.append(ch);
            }
        }
        return s.toString();
    }
}
