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
  session
      A long-running packet injector for differential tests, driven line by line on stdin (one
      request per line, every answer ends with a line "end ID"; exits on EOF or "quit"):
        send ID PROTO,SRC,DST,SPORT,DPORT,LENGTH,TTL,A,B ...
            Sends exactly one packet per spec, in order, each LENGTH bytes long as the peer's IP layer
            counts them (IP header included), with TTL (hop limit):
              tcp   one segment through a raw socket, padded with payload; A = its flags (a number:
                    FIN 1, SYN 2, RST 4, PSH 8, ACK 16, URG 32, ECE 64, CWR 128); B = new (random
                    sequence numbers) or flow (the numbers that continue the handshake an earlier
                    SYN from SPORT to DST began and the peer's SYN+ACK answered);
              udp   one datagram from a socket bound to SRC:SPORT (A and B: -);
              icmp  one ICMP or ICMPv6 message of type A and code B: echo-like types (echo,
                    timestamp, information, node information) carry the identifier SPORT; errors
                    quote the headers of a UDP datagram DST:DPORT -> SRC:SPORT; other types carry
                    zeros (IPv6 neighbour discovery and MLD: send them with TTL 255 and 1).
            The short form PROTO,SRC,DST,SPORT,DPORT,LENGTH is a SYN, a datagram or an echo request
            with TTL 64. SRC may be an IPv6 link-local address with the interface to send it from,
            fe80::547%eth0 (the address must be on that interface). Answers "sent ID N".
        collect ID WAIT_MS [I,I,...|-]
            Reports what came back for each packet of the last send, one line each:
            {"i":N,"reply":"WORD"} with WORD synack, rst, echo, unreach-TYPE-CODE or none. Waits
            (at most WAIT_MS) until every listed packet has a reply, then drains what is queued.
      A reply is matched to its packet by protocol, peer address and SPORT (or the ICMP
      identifier), also for ICMP errors (by the header they quote), so every SPORT of a session
      should be unique for the ports and time spans that matter (conntrack entries live on).
  ctflush
      Deletes every connection tracking entry of the namespace, both families (what
      `conntrack -F` does, over netlink), so the next packet of any flow is NEW again.
      Prints "FLUSHED".
"""
import errno
import os
import select
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


# ---------------------------------------------------------------- session

TCP_SYN, TCP_RST, TCP_ACK = 0x02, 0x04, 0x10
# ICMP types whose message carries an identifier and a sequence number (echo, timestamp, information,
# address mask, node information) and the error types that quote an offending packet
ECHO_LIKE = {False: (0, 8, 13, 14, 15, 16, 17, 18), True: (128, 129, 139, 140)}
ERRORS = {False: (3, 4, 5, 11, 12), True: (1, 2, 3, 4)}
FLOWS_KEPT = 20000
SHORT_FORM = {("tcp", False): ["2", "new"], ("tcp", True): ["2", "new"],
              ("icmp", False): ["8", "0"], ("icmp", True): ["128", "0"]}


class Session:
    """Sends single crafted packets and matches the replies that come back (see the module doc)."""

    def __init__(self):
        self.raw = {}  # (v6, kind) -> raw socket receiving every tcp / icmp packet of that family
        for v6 in (False, True):
            family = socket.AF_INET6 if v6 else socket.AF_INET
            for kind, proto in (("tcp", socket.IPPROTO_TCP),
                                ("icmp", socket.IPPROTO_ICMPV6 if v6 else socket.IPPROTO_ICMP)):
                sock = socket.socket(family, socket.SOCK_RAW, proto)
                sock.setblocking(False)
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
                self.raw[(v6, kind)] = sock
        self.udp = []      # sockets of the last send, one per udp packet
        self.packets = []  # (proto, v6, src, dst, sport, dport) of the last send
        self.replies = {}  # packet index -> reply word
        self.flows = {}    # (dst, sport) -> [our initial sequence number, the peer's or None]

    # ---- sending

    def send(self, specs):
        self.close_udp()
        self.drain(None)  # forget whatever earlier packets still caused
        self.packets, self.replies = [], {}
        for spec in specs:
            fields = spec.split(",")
            if len(fields) == 6:
                fields += ["64"] + SHORT_FORM.get((fields[0], ":" in fields[2]), ["-", "-"])
            proto, src, dst, sport, dport, length, ttl, first, second = fields
            sport, dport, length, ttl = int(sport), int(dport), int(length), int(ttl)
            v6 = ":" in dst
            self.packets.append((proto, v6, src, dst, sport, dport))
            body = length - (40 if v6 else 20)
            if proto == "tcp":
                self.send_tcp(v6, src, dst, sport, dport, ttl, int(first), second == "flow", body - 20)
            elif proto == "udp":
                sock = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET, socket.SOCK_DGRAM)
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                set_ttl(sock, v6, ttl)
                sock.bind(sockaddr(src, sport))
                sock.setblocking(False)
                self.udp.append((len(self.packets) - 1, sock))
                sock.sendto(padding(body - 8), (dst, dport))
            elif proto == "icmp":
                message = icmp_message(v6, int(first), int(second), src.split("%")[0], dst, sport, dport, body)
                self.send_raw(v6, socket.IPPROTO_ICMPV6 if v6 else socket.IPPROTO_ICMP, src, dst, ttl, message)
            else:
                raise ValueError("bad proto " + proto)
        return len(specs)

    def send_tcp(self, v6, src, dst, sport, dport, ttl, flags, flow, payload_length):
        """One segment; a flow segment continues the handshake the SYN of an earlier send began."""
        key = (canonical(dst), sport)
        if flow:
            ours, theirs = self.flows.get(key, (None, None))
            if ours is None or theirs is None:
                raise ValueError("no handshake with %s from port %d" % (dst, sport))
            seq, ack = (ours + 1) & 0xFFFFFFFF, (theirs + 1) & 0xFFFFFFFF
        else:
            seq = int.from_bytes(os.urandom(4), "big")
            ack = int.from_bytes(os.urandom(4), "big") if flags & TCP_ACK else 0
            if flags & (TCP_SYN | TCP_ACK) == TCP_SYN:
                if len(self.flows) > FLOWS_KEPT:
                    self.flows.clear()
                self.flows[key] = [seq, None]
        payload = padding(payload_length)
        header = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 64240, 0, 0)
        if not v6:
            pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack(
                "!BBH", 0, 6, len(header) + len(payload))
            total = checksum(pseudo + header + payload)
            header = header[:16] + struct.pack("!H", total) + header[18:]
        self.send_raw(v6, socket.IPPROTO_TCP, src, dst, ttl, header + payload)

    def send_raw(self, v6, proto, src, dst, ttl, data):
        sock = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET, socket.SOCK_RAW, proto)
        try:
            if v6 and proto == socket.IPPROTO_TCP:
                sock.setsockopt(socket.IPPROTO_IPV6, IPV6_CHECKSUM, 16)  # the kernel sums it
            set_ttl(sock, v6, ttl)
            sock.bind(sockaddr(src, 0))
            sock.sendto(data, (dst, 0))
        finally:
            sock.close()

    # ---- receiving

    def find(self, proto, peer, sport):
        for index, (p, _, _, dst, s, _) in enumerate(self.packets):
            if p == proto and s == sport and same_address(dst, peer):
                return index
        return None

    def note(self, index, word):
        if index is not None and index not in self.replies:
            self.replies[index] = word

    def drain(self, wanted, deadline=0.0):
        """Reads every queued reply; with wanted, keeps waiting until each has one or the deadline."""
        while True:
            sockets = list(self.raw.values()) + [sock for _, sock in self.udp]
            timeout = 0.0
            if wanted and not wanted.issubset(self.replies):
                timeout = max(0.0, deadline - time.monotonic())
            ready, _, _ = select.select(sockets, [], [], timeout)
            if not ready:
                return
            for sock in ready:
                self.read(sock)

    def read(self, sock):
        try:
            data, peer = sock.recvfrom(65535)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            return  # e.g. a udp socket's pending ICMP error: the raw icmp socket saw it too
        if sock.type == socket.SOCK_DGRAM:
            for index, udp in self.udp:
                if udp is sock:
                    self.note(index, "echo")
            return
        v6 = sock.family == socket.AF_INET6
        if not v6:
            data = data[(data[0] & 0x0F) * 4:] if data else data  # strip the IPv4 header
        if sock.proto == socket.IPPROTO_TCP:
            self.read_tcp(peer[0], data)
            return
        if len(data) < 8:
            return
        kind, code = data[0], data[1]
        if kind == (129 if v6 else 0):
            ident = struct.unpack("!H", data[4:6])[0]
            self.note(self.find("icmp", peer[0], ident), "echo")
        elif kind in ((1, 2, 3, 4) if v6 else (3, 11, 12)):
            self.quoted(v6, data[8:], "unreach-%d-%d" % (kind, code))

    def read_tcp(self, peer, data):
        if len(data) < 14:
            return
        dport, seq, ack = struct.unpack("!HII", data[2:12])
        flags = data[13]
        index = self.find("tcp", peer, dport)
        if flags & TCP_RST:
            self.note(index, "rst")
        elif flags & (TCP_SYN | TCP_ACK) == TCP_SYN | TCP_ACK:
            self.note(index, "synack")
            flow = self.flows.get((canonical(peer), dport))
            if flow is not None and ack == (flow[0] + 1) & 0xFFFFFFFF:
                flow[1] = seq

    def quoted(self, v6, inner, word):
        """Matches an ICMP error to the packet whose header it quotes."""
        if v6:
            if len(inner) < 48:
                return
            proto, dst, transport = inner[6], inner[24:40], inner[40:48]
            family = socket.AF_INET6
        else:
            if len(inner) < 20:
                return
            ihl = (inner[0] & 0x0F) * 4
            proto, dst, transport = inner[9], inner[16:20], inner[ihl:ihl + 8]
            family = socket.AF_INET
        if len(transport) < 8:
            return
        peer = socket.inet_ntop(family, dst)
        if proto in (6, 17):
            name = "tcp" if proto == 6 else "udp"
            self.note(self.find(name, peer, struct.unpack("!H", transport[:2])[0]), word)
        elif proto == (58 if v6 else 1):
            self.note(self.find("icmp", peer, struct.unpack("!H", transport[4:6])[0]), word)

    def collect(self, wait_ms, wanted):
        self.drain(wanted, time.monotonic() + wait_ms / 1000.0)
        return [self.replies.get(i, "none") for i in range(len(self.packets))]

    def close_udp(self):
        for _, sock in self.udp:
            sock.close()
        self.udp = []


IPV6_CHECKSUM = getattr(socket, "IPV6_CHECKSUM", 7)
IPV6_UNICAST_HOPS = getattr(socket, "IPV6_UNICAST_HOPS", 16)


def set_ttl(sock, v6, ttl):
    if v6:
        sock.setsockopt(socket.IPPROTO_IPV6, IPV6_UNICAST_HOPS, ttl)
    else:
        sock.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, ttl)


def icmp_message(v6, kind, code, src, dst, sport, dport, length):
    """An ICMP(v6) message of LENGTH bytes of type KIND and code CODE (IPv4: with its checksum).

    Echo-like types carry SPORT as identifier; error types quote a UDP datagram DST:DPORT -> SRC:SPORT
    (a reply the peer could have sent); other types carry zeros after the type and code."""
    if kind in ECHO_LIKE[v6]:
        rest = struct.pack("!HH", sport, 1)
        body = padding(length - 8)
    elif kind in ERRORS[v6]:
        if (v6 and kind == 2) or (not v6 and kind == 3 and code == 4):
            rest = struct.pack("!I", 65535)  # an MTU above the link's: changes no path MTU
        elif not v6 and kind == 5:
            rest = socket.inet_aton(src)  # the gateway a redirect names
        else:
            rest = b"\0\0\0\0"
        inner = quoted_datagram(v6, dst, src, dport, sport, length - 8)
        body = inner + padding(length - 8 - len(inner))
    else:
        rest = b"\0\0\0\0"
        body = b"\0" * (length - 8)
    if length < 8:
        raise ValueError("packet too short for its headers")
    message = struct.pack("!BBH", kind, code, 0) + rest + body
    if v6:
        return message  # the kernel fills in the ICMPv6 checksum
    return message[:2] + struct.pack("!H", checksum(message)) + message[4:]


def quoted_datagram(v6, src, dst, sport, dport, room):
    """The IP and UDP headers of a datagram SRC:SPORT -> DST:DPORT, as an ICMP error quotes them."""
    udp_length = max(8, room - (40 if v6 else 20))
    udp = struct.pack("!HHHH", sport, dport, udp_length, 0)
    if v6:
        ip = struct.pack("!IHBB", 6 << 28, udp_length, 17, 64) + socket.inet_pton(
            socket.AF_INET6, src) + socket.inet_pton(socket.AF_INET6, dst)
        return ip + udp
    ip = struct.pack("!BBHHHBBH", 0x45, 0, 20 + udp_length, 0, 0, 64, 17, 0) + socket.inet_aton(
        src) + socket.inet_aton(dst)
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    return ip + udp


def sockaddr(address, port):
    """A socket address to bind to; ADDRESS%IFACE (IPv6 link-local) is bound on that interface."""
    if "%" in address:
        host, zone = address.split("%", 1)
        return (host, port, 0, socket.if_nametoindex(zone))
    return (address, port)


def canonical(address):
    family = family_of(address)
    return socket.inet_ntop(family, socket.inet_pton(family, address.split("%")[0]))


def padding(length):
    if length < 0:
        raise ValueError("packet too short for its headers")
    return (b"stockade-" * (length // 9 + 1))[:length]


def same_address(a, b):
    family = family_of(a)
    try:
        return family_of(b) == family and socket.inet_pton(family, a) == socket.inet_pton(family, b.split("%")[0])
    except OSError:
        return False


def session(argv):
    if argv:
        raise SystemExit("netprobe: unexpected arguments %r" % argv)
    state = Session()
    print("READY", flush=True)
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        if words[0] == "quit":
            break
        ident = words[1] if len(words) > 1 else "-"
        try:
            if words[0] == "send":
                print("sent %s %d" % (ident, state.send(words[2:])))
            elif words[0] == "collect":
                wanted = set()
                if len(words) > 3 and words[3] != "-":
                    wanted = {int(i) for i in words[3].split(",")}
                for index, word in enumerate(state.collect(int(words[2]), wanted)):
                    print('{"i":%d,"reply":"%s"}' % (index, word))
            else:
                print("error %s unknown-request" % ident)
        except Exception as error:  # report, keep serving
            print("error %s %s-%s" % (ident, type(error).__name__.lower(),
                                      str(error).replace(" ", "_")[:120]))
        print("end %s" % ident, flush=True)
    state.close_udp()
    return 0


# ---------------------------------------------------------------- ctflush

NETLINK_NETFILTER = 12
NFNL_SUBSYS_CTNETLINK = 1
IPCTNL_MSG_CT_DELETE = 2
NLM_F_REQUEST, NLM_F_ACK = 1, 4
NLMSG_ERROR = 2


def ctflush(argv):
    if argv:
        raise SystemExit("netprobe: unexpected arguments %r" % argv)
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
    try:
        sock.settimeout(5.0)
        sock.bind((0, 0))
        # a delete request without attributes for family AF_UNSPEC deletes every entry
        header = struct.pack("=IHHII", 20, (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_DELETE,
                             NLM_F_REQUEST | NLM_F_ACK, 1, 0)
        sock.send(header + struct.pack("=BBH", socket.AF_UNSPEC, 0, 0))
        reply = sock.recv(4096)
    finally:
        sock.close()
    kind = struct.unpack("=H", reply[4:6])[0]
    error = struct.unpack("=i", reply[16:20])[0] if len(reply) >= 20 else -errno.EIO
    if kind != NLMSG_ERROR or (error != 0 and error != -errno.ENOENT):
        raise SystemExit("netprobe: conntrack flush failed: type %d, %s" % (kind, os.strerror(-error)))
    print("FLUSHED", flush=True)
    return 0


def main(argv):
    modes = {"listen": listen, "probe": probe, "session": session, "ctflush": ctflush}
    if not argv or argv[0] not in modes:
        raise SystemExit("usage: netprobe.py listen|probe|session|ctflush ...")
    return modes[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
