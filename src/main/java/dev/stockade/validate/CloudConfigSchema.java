package dev.stockade.validate;

import static dev.stockade.validate.Schema.B;
import static dev.stockade.validate.Schema.F;
import static dev.stockade.validate.Schema.I;
import static dev.stockade.validate.Schema.S;
import static dev.stockade.validate.Schema.list;

/**
 * The keys coreos-cloudinit reads from a {@code #cloud-config} (the last Container Linux and
 * Flatcar releases), with their types, allowed values and deprecations, written from its
 * documentation and configuration model.
 */
final class CloudConfigSchema {

    private CloudConfigSchema() {}

    private static final String NO_ETCD2 = "etcd2 options no longer work for etcd";

    static final Schema.Obj WRITE_FILE = Schema.obj()
            .all(S, "path", "content", "owner")
            .valid("encoding", S, "base64|b64|gz|gzip|gz\\+base64|gzip\\+base64|gz\\+b64|gzip\\+b64")
            .valid("permissions", S, "0?[0-7]{3,4}")
            .build();

    static final Schema.Obj USER = Schema.obj()
            .all(S, "name", "passwd", "gecos", "homedir", "primary_group", "shell")
            .all(list(S), "ssh_authorized_keys", "groups")
            .all(B, "no_create_home", "no_user_group", "system", "no_log_init")
            .deprecated(
                    "coreos_ssh_import_github",
                    S,
                    "trying to fetch from a remote endpoint introduces too many intermittent errors")
            .deprecated(
                    "coreos_ssh_import_github_users",
                    list(S),
                    "trying to fetch from a remote endpoint introduces too many intermittent errors")
            .deprecated(
                    "coreos_ssh_import_url",
                    S,
                    "trying to fetch from a remote endpoint introduces too many intermittent errors")
            .build();

    static final Schema.Obj UNIT = Schema.obj()
            .all(S, "name", "content")
            .all(B, "mask", "enable", "runtime")
            .valid("command", S, "start|stop|restart|reload|try-restart|reload-or-restart|reload-or-try-restart")
            .f("drop_ins", list(Schema.obj().all(S, "name", "content").build()))
            .build();

    static final Schema.Obj ETCD = Schema.obj()
            .all(
                    S,
                    "addr",
                    "bind_addr",
                    "ca_file",
                    "cert_file",
                    "cors",
                    "data_dir",
                    "discovery",
                    "graphite_host",
                    "key_file",
                    "name",
                    "peer_addr",
                    "peer_bind_addr",
                    "peer_ca_file",
                    "peer_cert_file",
                    "peer_key_file",
                    "peers",
                    "peers_file",
                    "trace")
            .all(
                    I,
                    "cluster_active_size",
                    "max_result_buffer",
                    "max_retry_attempts",
                    "peer_election_timeout",
                    "peer_heartbeat_interval",
                    "snapshot_count")
            .all(
                    F,
                    "cluster_remove_delay",
                    "cluster_sync_interval",
                    "http_read_timeout",
                    "http_write_timeout",
                    "retry_interval")
            .all(B, "snapshot", "verbose", "very_verbose", "very_very_verbose")
            .deprecated("advertise_client_urls", S, NO_ETCD2)
            .deprecated("discovery_fallback", S, NO_ETCD2)
            .deprecated("discovery_srv", S, NO_ETCD2)
            .deprecated("discovery_proxy", S, NO_ETCD2)
            .deprecated("initial_advertise_peer_urls", S, NO_ETCD2)
            .deprecated("initial_cluster", S, NO_ETCD2)
            .deprecated("initial_cluster_state", S, NO_ETCD2)
            .deprecated("initial_cluster_token", S, NO_ETCD2)
            .deprecated("listen_client_urls", S, NO_ETCD2)
            .deprecated("listen_peer_urls", S, NO_ETCD2)
            .deprecated("proxy", S, NO_ETCD2)
            .deprecated("election_timeout", I, NO_ETCD2)
            .deprecated("heartbeat_interval", I, NO_ETCD2)
            .deprecated("max_snapshots", I, NO_ETCD2)
            .deprecated("max_wals", I, NO_ETCD2)
            .deprecated("force_new_cluster", B, NO_ETCD2)
            .build();

    static final Schema.Obj ETCD2 = Schema.obj()
            .all(
                    S,
                    "advertise_client_urls",
                    "cert_file",
                    "cors",
                    "data_dir",
                    "discovery",
                    "discovery_fallback",
                    "discovery_srv",
                    "discovery_proxy",
                    "initial_advertise_peer_urls",
                    "initial_cluster",
                    "initial_cluster_state",
                    "initial_cluster_token",
                    "key_file",
                    "listen_client_urls",
                    "listen_peer_urls",
                    "log_package_levels",
                    "name",
                    "peer_cert_file",
                    "peer_key_file",
                    "peer_trusted_ca_file",
                    "trusted_ca_file",
                    "wal_dir")
            .valid("proxy", S, "on|off|readonly")
            .deprecated("ca_file", S, "ca_file is obsoleted by trusted_ca_file and client_cert_auth")
            .deprecated(
                    "peer_ca_file", S, "peer_ca_file is obsoleted by peer_trusted_ca_file and peer_client_cert_auth")
            .all(
                    B,
                    "client_cert_auth",
                    "debug",
                    "enable_pprof",
                    "force_new_cluster",
                    "peer_client_cert_auth",
                    "strict_reconfig_check")
            .all(
                    I,
                    "election_timeout",
                    "heartbeat_interval",
                    "max_snapshots",
                    "max_wals",
                    "proxy_dial_timeout",
                    "proxy_failure_wait",
                    "proxy_read_timeout",
                    "proxy_refresh_interval",
                    "proxy_write_timeout",
                    "snapshot_count")
            .build();

    static final Schema.Obj FLEET = Schema.obj()
            .all(
                    S,
                    "agent_ttl",
                    "authorized_keys_file",
                    "etcd_cafile",
                    "etcd_certfile",
                    "etcd_keyfile",
                    "etcd_key_prefix",
                    "etcd_servers",
                    "etcd_username",
                    "etcd_password",
                    "metadata",
                    "public_ip")
            .all(F, "engine_reconcile_interval", "etcd_request_timeout")
            .all(I, "token_limit", "verbosity")
            .all(B, "disable_engine", "verify_units")
            .build();

    static final Schema.Obj COREOS = Schema.obj()
            .deprecated("etcd", ETCD, "etcd is no longer shipped in Container Linux")
            .deprecated("etcd2", ETCD2, "etcd2 is no longer shipped in Container Linux")
            .deprecated("fleet", FLEET, "fleet is no longer shipped in Container Linux")
            .f(
                    "flannel",
                    Schema.obj()
                            .all(
                                    S,
                                    "etcd_endpoints",
                                    "etcd_cafile",
                                    "etcd_certfile",
                                    "etcd_keyfile",
                                    "etcd_prefix",
                                    "etcd_username",
                                    "etcd_password",
                                    "ip_masq",
                                    "subnet_file",
                                    "interface",
                                    "public_ip")
                            .build())
            .f(
                    "locksmith",
                    Schema.obj()
                            .all(
                                    S,
                                    "endpoint",
                                    "etcd_cafile",
                                    "etcd_certfile",
                                    "etcd_keyfile",
                                    "etcd_username",
                                    "etcd_password",
                                    "group")
                            .valid(
                                    "window_start",
                                    S,
                                    "((?i:sun|mon|tue|wed|thu|fri|sat) )?0*([0-9]|1[0-9]|2[0-3]):0*([0-9]|[1-5][0-9])")
                            .valid("window_length", S, "[-+]?([0-9]*(\\.[0-9]*)?[a-z]+)+")
                            .build())
            .f(
                    "oem",
                    Schema.obj()
                            .all(S, "id", "name", "version_id", "home_url", "bug_report_url")
                            .build())
            .f(
                    "update",
                    Schema.obj()
                            .valid("reboot_strategy", S, "best-effort|etcd-lock|reboot|off")
                            .all(S, "group", "server")
                            .build())
            .f("units", list(UNIT))
            .build();

    static final Schema.Obj ROOT = Schema.obj()
            .f("ssh_authorized_keys", list(S))
            .all(S, "hostname", "manage_etc_hosts")
            .f("users", list(USER))
            .f("write_files", list(WRITE_FILE))
            .f("coreos", COREOS)
            .build();
}
