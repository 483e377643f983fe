#!/usr/bin/python3
"""Stockade netns lab helper: listens on or probes ports inside a network namespace.

Started by dev.stockade.testing.NetnsLab via `ip netns exec NS /usr/bin/python3 netprobe.py MODE ...`.
It only ever talks to the addresses it is given (which the lab puts inside its own namespaces),
every wait is bounded, and a listener exits by itself when its stdin closes (the JVM went away)
or when --max-seconds have passed.

Modes:
  listen --tcp P1,P2 --udp P3,P4 [--max-seconds N]
      One dual-stack ("::", IPV6_V6ONLY=0) socket per port. TCP: accept, send a banner, close.
      UDP: echo every datagram back from the address it was sent to (IPV6_PKTINFO).
      Prints "READY" once every socket is bound.
  probe [--tcp-timeout S] [--udp-timeout S] [--icmp-timeout S] PROTO,SRC,DST,PORT ...
      Runs every probe concurrently (one thread each), binding to SRC first. Prints one line per
      probe, in input order: {"i":N,"reached":true|false,"detail":"WORD","ms":N}
      detail is one of connected, echo, timeout, refused, or a lower-case errno name; harness
      problems (e.g. SRC not a local address) start with "bind-error-" or "harness-".
"""
import errno
import os
import selectors
import socket
import struct
import sys
import threading
import time

IPV6_RECVPKTINFO = getattr(socket, "IPV6_RECVPKTINFO", 49)
IPV6_PKTINFO = getattr(socket, "IPV6_PKTINFO", 50)
BANNER = b"stockade-netprobe\n"


def family_of(address):
    return socket.AF_INET6 if ":" in address else socket.AF_INET


def errno_word(error):
    if isinstance(error, socket.timeout):
        return "timeout"
    if error.errno == errno.ECONNREFUSED:
        return "refused"
    return errno.errorcode.get(error.errno, "errno%s" % error.errno).lower()


def parse_ports(text):
    return [int(p) for p in text.split(",") if p.strip()]


def parse_options(argv, defaults):
    options = dict(defaults)
    rest = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg.startswith("--"):
            key = arg[2:]
            if key not in options or i + 1 >= len(argv):
                raise SystemExit("netprobe: bad option %s" % arg)
            options[key] = argv[i + 1]
            i += 2
        else:
            rest.append(arg)
            i += 1
    return options, rest


# ---------------------------------------------------------------- listen

def dual_stack_socket(kind, port):
    sock = socket.socket(socket.AF_INET6, kind)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    sock.bind(("::", port))
    sock.setblocking(False)
    return sock


def open_listeners(tcp_ports, udp_ports, selector):
    for port in tcp_ports:
        sock = dual_stack_socket(socket.SOCK_STREAM, port)
        sock.listen(128)
        selector.register(sock, selectors.EVENT_READ, "tcp")
    for port in udp_ports:
        sock = dual_stack_socket(socket.SOCK_DGRAM, port)
        sock.setsockopt(socket.IPPROTO_IPV6, IPV6_RECVPKTINFO, 1)
        selector.register(sock, selectors.EVENT_READ, "udp")


def serve_tcp(sock):
    try:
        conn, _ = sock.accept()
    except OSError:
        return
    try:
        conn.settimeout(0.5)
        conn.sendall(BANNER)
    except OSError:
        pass
    finally:
        conn.close()


def serve_udp(sock):
    try:
        data, ancillary, _, peer = sock.recvmsg(65535, socket.CMSG_SPACE(20))
    except OSError:
        return
    # Reply from the address the datagram was sent to (works for v4-mapped peers too), so
    # a host with several addresses answers from the one the client is talking to.
    reply_control = [(level, kind, payload) for level, kind, payload in ancillary
                     if level == socket.IPPROTO_IPV6 and kind == IPV6_PKTINFO]
    try:
        sock.sendmsg([data], reply_control, 0, peer)
    except OSError:
        pass


def listen(argv):
    options, rest = parse_options(argv, {"tcp": "", "udp": "", "max-seconds": "900"})
    if rest:
        raise SystemExit("netprobe: unexpected arguments %r" % rest)
    selector = selectors.DefaultSelector()
    open_listeners(parse_ports(options["tcp"]), parse_ports(options["udp"]), selector)
    selector.register(sys.stdin.fileno(), selectors.EVENT_READ, "stdin")
    print("READY tcp=%s udp=%s" % (options["tcp"], options["udp"]), flush=True)
    deadline = time.monotonic() + float(options["max-seconds"])
    while time.monotonic() < deadline:
        for key, _ in selector.select(timeout=1.0):
            if key.data == "stdin":
                if not os.read(key.fd, 4096):
                    return 0  # parent closed our stdin or died: stop
            elif key.data == "tcp":
                serve_tcp(key.fileobj)
            else:
                serve_udp(key.fileobj)
    return 0


# ---------------------------------------------------------------- probe

def bound_socket(src, dst, kind, proto=0):
    sock = socket.socket(family_of(dst), kind, proto)
    try:
        sock.bind((src, 0))
    except OSError as error:
        sock.close()
        raise BindError("bind-error-" + errno_word(error))
    return sock


class BindError(Exception):
    pass


def probe_tcp(src, dst, port, timeout):
    sock = bound_socket(src, dst, socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        sock.connect((dst, port))
        return True, "connected"
    except OSError as error:
        return False, errno_word(error)
    finally:
        sock.close()


def probe_udp(src, dst, port, timeout):
    """Sends up to three datagrams within the timeout; reached when one comes back unchanged."""
    sock = bound_socket(src, dst, socket.SOCK_DGRAM)
    payload = b"stk-" + os.urandom(8).hex().encode()
    interval = timeout / 3.0
    try:
        sock.connect((dst, port))
        start = time.monotonic()
        deadline = start + timeout
        next_send = start
        while True:
            now = time.monotonic()
            if now >= deadline:
                return False, "timeout"
            if now >= next_send:
                sock.send(payload)
                next_send += interval
            sock.settimeout(max(0.01, min(deadline, next_send) - now))
            try:
                if sock.recv(65535) == payload:
                    return True, "echo"
            except socket.timeout:
                continue
    except OSError as error:
        return False, errno_word(error)
    finally:
        sock.close()


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    total = (total >> 16) + (total & 0xFFFF)
    total += total >> 16
    return ~total & 0xFFFF


def echo_request(v6, ident, seq, payload):
    kind = 128 if v6 else 8
    header = struct.pack("!BBHHH", kind, 0, 0, ident, seq)
    if v6:
        return header + payload  # the kernel fills in the ICMPv6 checksum
    return struct.pack("!BBHHH", kind, 0, checksum(header + payload), ident, seq) + payload


def is_echo_reply(v6, packet, ident, seq):
    if not v6:
        packet = packet[(packet[0] & 0x0F) * 4:] if packet else packet  # strip the IPv4 header
    if len(packet) < 8:
        return False
    kind, _, _, got_ident, got_seq = struct.unpack("!BBHHH", packet[:8])
    return kind == (129 if v6 else 0) and got_ident == ident and got_seq == seq


def probe_icmp(src, dst, index, timeout):
    v6 = family_of(dst) == socket.AF_INET6
    proto = socket.IPPROTO_ICMPV6 if v6 else socket.IPPROTO_ICMP
    sock = bound_socket(src, dst, socket.SOCK_RAW, proto)
    ident = (os.getpid() * 31 + index) & 0xFFFF
    seq = int.from_bytes(os.urandom(2), "big")
    want = socket.inet_pton(family_of(dst), dst)
    try:
        deadline = time.monotonic() + timeout
        sock.sendto(echo_request(v6, ident, seq, b"stockade-ping"), (dst, 0))
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False, "timeout"
            sock.settimeout(remaining)
            try:
                packet, peer = sock.recvfrom(65535)
            except socket.timeout:
                return False, "timeout"
            if socket.inet_pton(family_of(dst), peer[0]) == want and is_echo_reply(v6, packet, ident, seq):
                return True, "echo"
    except OSError as error:
        return False, errno_word(error)
    finally:
        sock.close()


def run_one(index, spec, timeouts, results):
    start = time.monotonic()
    try:
        proto, src, dst, port = spec.split(",")
        if proto == "tcp":
            reached, detail = probe_tcp(src, dst, int(port), timeouts["tcp"])
        elif proto == "udp":
            reached, detail = probe_udp(src, dst, int(port), timeouts["udp"])
        elif proto == "icmp":
            reached, detail = probe_icmp(src, dst, index, timeouts["icmp"])
        else:
            reached, detail = False, "harness-bad-proto"
    except BindError as error:
        reached, detail = False, str(error)
    except Exception as error:  # never let one probe kill the others
        reached, detail = False, "harness-" + type(error).__name__.lower()
    results[index] = (reached, detail, int((time.monotonic() - start) * 1000))


def probe(argv):
    options, specs = parse_options(
        argv, {"tcp-timeout": "1.5", "udp-timeout": "1.5", "icmp-timeout": "2"})
    timeouts = {k: float(options[k + "-timeout"]) for k in ("tcp", "udp", "icmp")}
    results = [None] * len(specs)
    threads = [threading.Thread(target=run_one, args=(i, spec, timeouts, results), daemon=True)
               for i, spec in enumerate(specs)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + max(timeouts.values()) + 5.0
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    for index, result in enumerate(results):
        reached, detail, millis = result if result else (False, "harness-stuck", -1)
        print('{"i":%d,"reached":%s,"detail":"%s","ms":%d}'
              % (index, "true" if reached else "false", detail, millis), flush=True)
    return 0


def main(argv):
    if not argv or argv[0] not in ("listen", "probe"):
        raise SystemExit("usage: netprobe.py listen|probe ...")
    return listen(argv[1:]) if argv[0] == "listen" else probe(argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
