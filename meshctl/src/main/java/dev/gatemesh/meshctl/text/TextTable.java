package dev.gatemesh.meshctl.text;

import java.util.List;

/** Left-aligned columns, two spaces apart, no trailing blanks (the way kubectl prints). */
public final class TextTable {

    private TextTable() {
    }

    public static String render(List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    public static String text(Object value) {
        return value == null ? "-" : value.toString();
    }
}
