package dev.vibed.cli.commands;

import jakarta.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/** Plain tables and key/value blocks for people; scripts use --json instead. */
final class Output {
    private Output() {
    }

    static void table(List<String> header, List<List<String>> rows) {
        int[] width = new int[header.size()];
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        for (List<String> row : all) {
            for (int i = 0; i < row.size(); i++) {
                width[i] = Math.max(width[i], row.get(i).length());
            }
        }
        for (List<String> row : all) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                b.append(i == row.size() - 1 ? row.get(i) : String.format("%-" + width[i] + "s  ", row.get(i)));
            }
            System.out.println(b.toString().stripTrailing());
        }
    }

    static String text(JsonObject o, String key) {
        if (!o.containsKey(key) || o.isNull(key)) {
            return "-";
        }
        return switch (o.get(key).getValueType()) {
            case STRING -> o.getString(key);
            default -> o.get(key).toString();
        };
    }
}
