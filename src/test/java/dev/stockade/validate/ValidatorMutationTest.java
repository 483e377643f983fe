package dev.stockade.validate;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.stockade.report.Finding;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Bad input never becomes an internal error: seeded random byte-level mutations of a cloud-config
 * and an Ignition config (characters deleted, duplicated, replaced by YAML/JSON punctuation and
 * digits) each give findings or none, never an exception.
 */
class ValidatorMutationTest {

    static final String CLOUD_CONFIG = """
            #cloud-config
            hostname: n1
            coreos:
              update:
                reboot_strategy: etcd-lock
              units:
                - name: a.service
                  command: start
                  content: |
                    [Service]
                    ExecStart=/bin/true
            write_files:
              - path: /var/lib/iptables/rules-save
                permissions: '0644'
                content: |
                  *filter
                  :INPUT DROP [0:0]
                  -A INPUT -p tcp --dport 22 -j ACCEPT
                  COMMIT
              - path: /etc/x
                encoding: base64
                content: aGVsbG8K
            users:
              - name: core
                groups: [docker]
            """;

    static final String IGNITION = "{\"ignition\": {\"version\": \"3.3.0\"}, \"storage\": {\"files\": [{\"path\":"
            + " \"/var/lib/iptables/rules-save\", \"mode\": 420, \"contents\": {\"source\":"
            + " \"data:,*filter%0A:INPUT%20DROP%20%5B0:0%5D%0ACOMMIT%0A\", \"verification\": {\"hash\": \"sha512-0\"}}}],"
            + " \"disks\": [{\"device\": \"/dev/sda\", \"partitions\": [{\"number\": 1, \"label\": \"a\"}]}],"
            + " \"raid\": [{\"name\": \"m\", \"level\": \"raid0\", \"spares\": 0, \"devices\": [\"/dev/sdb\"]}]},"
            + " \"systemd\": {\"units\": [{\"name\": \"a.service\", \"enabled\": true, \"contents\":"
            + " \"[Service]\\nA=b\\n\", \"dropins\": [{\"name\": \"x.conf\", \"contents\": \"[Service]\\n\"}]}]},"
            + " \"passwd\": {\"users\": [{\"name\": \"core\", \"groups\": [\"wheel\"]}]}}";

    static final String NOISE = "{}[]:,\"'-#|%0789\n \\\t";

    static String mutate(String text, Random r) {
        StringBuilder sb = new StringBuilder(text);
        int edits = 1 + r.nextInt(4);
        for (int e = 0; e < edits && sb.length() > 0; e++) {
            int at = r.nextInt(sb.length());
            switch (r.nextInt(3)) {
                case 0 -> sb.deleteCharAt(at);
                case 1 -> sb.insert(at, sb.charAt(at));
                default -> sb.setCharAt(at, NOISE.charAt(r.nextInt(NOISE.length())));
            }
        }
        return sb.toString();
    }

    @Test
    void mutatedConfigs_findingsNeverExceptions() {
        Random r = new Random(20261202);
        int found = 0;
        for (int i = 0; i < 1500; i++) {
            for (String base : List.of(CLOUD_CONFIG, IGNITION)) {
                String text = mutate(base, r);
                List<Finding> f = assertDoesNotThrow(
                        () -> new Validator().validate("m", text, Optional.empty()), () -> "input:\n" + text);
                found += f.isEmpty() ? 0 : 1;
            }
        }
        assertFalse(found == 0, "mutations are noticed");
    }
}
