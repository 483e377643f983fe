package dev.stockade.audit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Settings read line by line from a fact: {@code KEY=VALUE} files (update.conf, SELinux config:
 * the last one wins, quotes removed), {@code sshd -T} output ({@code key value}, keys in lower
 * case), or a running etcd's environment and flags ({@code env KEY=VALUE}, {@code arg --flag=value}).
 * Each value keeps the line it came from.
 */
final class Settings {

    /** One value and its line. */
    record Value(String value, int line) {}

    private final Map<String, List<Value>> values = new LinkedHashMap<>();

    private Settings() {}

    static Settings keyValues(String text) {
        Settings s = new Settings();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].strip();
            int eq = l.indexOf('=');
            if (l.startsWith("#") || eq <= 0) {
                continue;
            }
            s.add(l.substring(0, eq).strip(), unquote(l.substring(eq + 1).strip()), i + 1);
        }
        return s;
    }

    static Settings sshd(String text) {
        Settings s = new Settings();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String[] kv = lines[i].strip().split("\\s+", 2);
            if (kv.length == 2 && !kv[0].startsWith("#")) {
                s.add(kv[0].toLowerCase(java.util.Locale.ROOT), kv[1], i + 1);
            }
        }
        return s;
    }

    /** A running etcd's settings: {@code ETCD_X=v} from its environment and {@code --x=v} from its command line, as ETCD_X. */
    static Settings etcd(String text) {
        Settings s = new Settings();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            if (l.startsWith("env ") && l.indexOf('=') > 4) {
                s.add(l.substring(4, l.indexOf('=')), unquote(l.substring(l.indexOf('=') + 1)), i + 1);
            }
        }
        // then the flags: a flag wins over the environment, as etcd reads them
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            if (l.startsWith("arg --")) {
                String a = l.substring(6);
                int eq = a.indexOf('=');
                String key = eq < 0 ? a : a.substring(0, eq);
                String value = eq < 0 ? "true" : a.substring(eq + 1);
                s.add("ETCD_" + key.toUpperCase(java.util.Locale.ROOT).replace('-', '_'), value, i + 1);
            }
        }
        return s;
    }

    private void add(String key, String value, int line) {
        values.computeIfAbsent(key, k -> new ArrayList<>()).add(new Value(value, line));
    }

    /** The last value of {@code key}. */
    Optional<Value> last(String key) {
        List<Value> v = values.get(key);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(v.size() - 1));
    }

    List<Value> all(String key) {
        return values.getOrDefault(key, List.of());
    }

    boolean isEmpty() {
        return values.isEmpty();
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }
}
