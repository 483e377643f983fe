package dev.stockade.audit;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A systemd unit's state as {@code systemctl show --property=Id,LoadState,ActiveState,UnitFileState}
 * prints it (one block of KEY=VALUE lines per unit, blocks separated by blank lines).
 *
 * @param load {@code loaded}, {@code masked}, {@code not-found}...
 * @param active {@code active}, {@code inactive}, {@code failed}...
 * @param fileState {@code enabled}, {@code disabled}, {@code masked}, {@code static}...
 */
public record UnitState(String id, String load, String active, String fileState, int line) {

    public boolean masked() {
        return load.equals("masked") || fileState.startsWith("masked");
    }

    public boolean running() {
        return active.equals("active") || active.equals("activating") || active.equals("reloading");
    }

    public boolean exists() {
        return !load.equals("not-found") && !load.isEmpty();
    }

    public boolean enabled() {
        return fileState.startsWith("enabled") || fileState.equals("static") || fileState.equals("generated");
    }

    /** The units of {@code systemctl show} output by name. */
    static Map<String, UnitState> parse(String text) {
        Map<String, UnitState> out = new LinkedHashMap<>();
        Map<String, String> block = new LinkedHashMap<>();
        int start = 1;
        String[] lines = (text + "\n\n").split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].strip();
            if (l.isEmpty()) {
                if (block.containsKey("Id")) {
                    out.put(
                            block.get("Id"),
                            new UnitState(
                                    block.get("Id"),
                                    block.getOrDefault("LoadState", ""),
                                    block.getOrDefault("ActiveState", ""),
                                    block.getOrDefault("UnitFileState", ""),
                                    start));
                }
                block.clear();
                start = i + 2;
                continue;
            }
            int eq = l.indexOf('=');
            if (eq > 0) {
                block.put(l.substring(0, eq), l.substring(eq + 1));
            }
        }
        return out;
    }
}
