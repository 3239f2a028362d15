-- glass.lua: a Wireshark/tshark dissector for glass, the TCP-like transport
-- of this repository, carried straight in Ethernet frames (EtherType 0x88B5).
--
-- The wire format is docs/protocol.md; the numbers are those of
-- include/uapi/linux/glass_wire.h. What this file adds, the way Wireshark's
-- TCP dissector does:
--   * every header field, filterable as glass.* (glass.srcport, glass.seq,
--     glass.flags.syn, glass.checksum.status, ...);
--   * trains (several segments in one frame, the mss field giving their
--     size) split into their segments;
--   * sequence and acknowledgment numbers relative to each direction's
--     first one (glass.seq_raw / glass.ack_raw keep the wire values);
--   * a stream index per connection (glass.stream), and `tshark -z
--     glass,follow,N` to print a stream's bytes;
--   * expert info: bad checksum, zero window, window update, zero-window
--     probe (and its ACK), retransmission, fast retransmission, duplicate
--     ACK, out-of-order segment, previous segment not captured.
--
-- Load it with `tshark -X lua_script:glass.lua`, or put it in a Lua plugin
-- folder (`make install` does; docs/wireshark.md says where).

-- Loaded twice (an installed copy, then -X lua_script:)? The first one
-- stays; registering the protocol again would be an error.
-- (Each Lua plugin has globals of its own: ask Wireshark.)
for _, name in ipairs(Dissector.list()) do
  if name == "glass" then return end
end

local glass = Proto("glass", "glass transport")

local HDR_LEN = 32
local MIN_MSS = 64 -- GLASS_MIN_MSS: a train of smaller segments is malformed
local FIN, SYN, RST, PSH, ACK, EXT = 0x01, 0x02, 0x04, 0x08, 0x10, 0x20
local FLAGS_ALL = 0x3f
-- The extension area (docs/protocol.md): version, its items' kinds, limit.
local EXT_VERSION, EXT_MAX = 1, 64
local EXT_SACK_PERM, EXT_SACK = 1, 2

-- Checksum status values, as Wireshark's own (proto_checksum_enum_e).
local CK_BAD, CK_GOOD, CK_UNVERIFIED = 0, 1, 2

local f = glass.fields
f.version = ProtoField.uint8("glass.version", "Version")
f.flags = ProtoField.uint8("glass.flags", "Flags", base.HEX)
f.flags_res = ProtoField.uint8("glass.flags.res", "Reserved", base.HEX, nil, 0xc0)
f.flags_ext = ProtoField.bool("glass.flags.ext", "Extension area", 8, nil, EXT)
f.flags_ack = ProtoField.bool("glass.flags.ack", "Acknowledgment", 8, nil, ACK)
f.flags_psh = ProtoField.bool("glass.flags.psh", "Push", 8, nil, PSH)
f.flags_rst = ProtoField.bool("glass.flags.rst", "Reset", 8, nil, RST)
f.flags_syn = ProtoField.bool("glass.flags.syn", "Syn", 8, nil, SYN)
f.flags_fin = ProtoField.bool("glass.flags.fin", "Fin", 8, nil, FIN)
f.flags_str = ProtoField.string("glass.flags.str", "Flags as text")
f.len = ProtoField.uint16("glass.len", "Length (extension area and payload)")
f.payload_len = ProtoField.uint16("glass.payload_len", "Payload length")
f.ext = ProtoField.none("glass.ext", "Extension area")
f.ext_version = ProtoField.uint8("glass.ext.version", "Version")
f.ext_len = ProtoField.uint16("glass.ext.len", "Length")
f.ext_kind = ProtoField.uint8("glass.ext.kind", "Kind", base.DEC,
    { [EXT_SACK_PERM] = "SACK permitted", [EXT_SACK] = "SACK" })
f.ext_item_len = ProtoField.uint8("glass.ext.item_len", "Item length")
f.sack_perm = ProtoField.bool("glass.sack_perm", "SACK permitted")
f.sack = ProtoField.none("glass.sack", "SACK block")
f.sack_left = ProtoField.uint32("glass.sack.left", "Left edge")
f.sack_right = ProtoField.uint32("glass.sack.right", "Right edge")
f.sack_dsack = ProtoField.bool("glass.sack.dsack", "D-SACK (received twice)")
f.srcport = ProtoField.uint16("glass.srcport", "Source port")
f.dstport = ProtoField.uint16("glass.dstport", "Destination port")
f.port = ProtoField.uint16("glass.port", "Source or destination port")
f.src = ProtoField.ipv4("glass.src", "Source address")
f.dst = ProtoField.ipv4("glass.dst", "Destination address")
f.addr = ProtoField.ipv4("glass.addr", "Source or destination address")
f.seq = ProtoField.uint32("glass.seq", "Sequence number")
f.seq_raw = ProtoField.uint32("glass.seq_raw", "Sequence number (raw)")
f.nxtseq = ProtoField.uint32("glass.nxtseq", "Next sequence number")
f.ack = ProtoField.uint32("glass.ack", "Acknowledgment number")
f.ack_raw = ProtoField.uint32("glass.ack_raw", "Acknowledgment number (raw)")
f.window = ProtoField.uint32("glass.window", "Window", base.DEC, nil, nil,
    "Receive window in bytes, counted from the acknowledgment number (unscaled)")
f.mss = ProtoField.uint16("glass.mss", "MSS")
f.checksum = ProtoField.uint16("glass.checksum", "Checksum", base.HEX)
f.checksum_status = ProtoField.uint8("glass.checksum.status", "Checksum status", base.DEC,
    { [CK_BAD] = "Bad", [CK_GOOD] = "Good", [CK_UNVERIFIED] = "Unverified" })
f.checksum_calc = ProtoField.uint16("glass.checksum_calculated", "Calculated checksum", base.HEX)
f.stream = ProtoField.uint32("glass.stream", "Stream index")
f.segments = ProtoField.uint16("glass.segments", "Segments in this frame")
f.segment = ProtoField.none("glass.segment", "Segment")
f.segment_seq = ProtoField.uint32("glass.segment.seq", "Sequence number")
f.segment_len = ProtoField.uint32("glass.segment.len", "Length")
f.payload = ProtoField.bytes("glass.payload", "Payload")
-- Neighbour messages (first byte 0x81) of glass devices on Ethernet.
local NEIGH_VERSION, NEIGH_LEN = 0x81, 16
local NEIGH_OPS = { [1] = "Request", [2] = "Reply" }
f.neigh = ProtoField.none("glass.neigh", "Neighbour message")
f.neigh_op = ProtoField.uint8("glass.neigh.op", "Operation", base.DEC, NEIGH_OPS)
f.neigh_sender = ProtoField.ipv4("glass.neigh.sender", "Sender address")
f.neigh_target = ProtoField.ipv4("glass.neigh.target", "Target address")
f.neigh_checksum = ProtoField.uint16("glass.neigh.checksum", "Checksum", base.HEX)
f.neigh_checksum_ok = ProtoField.bool("glass.neigh.checksum_ok", "Checksum good")
f.analysis = ProtoField.none("glass.analysis", "SEQ/ACK analysis")
f.analysis_flags = ProtoField.none("glass.analysis.flags", "Analysis flags")
f.dupack_num = ProtoField.uint32("glass.analysis.duplicate_ack_num", "Duplicate ACK #")
f.dupack_frame = ProtoField.framenum("glass.analysis.duplicate_ack_frame",
    "Duplicate to the ACK in frame", base.NONE, frametype.DUP_ACK)

local e = {
  bad_checksum = ProtoExpert.new("glass.checksum.bad", "Bad checksum",
      expert.group.CHECKSUM, expert.severity.ERROR),
  malformed = ProtoExpert.new("glass.malformed", "Malformed glass frame",
      expert.group.MALFORMED, expert.severity.ERROR),
  retrans = ProtoExpert.new("glass.analysis.retransmission",
      "This frame is a (suspected) retransmission", expert.group.SEQUENCE, expert.severity.NOTE),
  fast_retrans = ProtoExpert.new("glass.analysis.fast_retransmission",
      "This frame is a (suspected) fast retransmission", expert.group.SEQUENCE, expert.severity.NOTE),
  ooo = ProtoExpert.new("glass.analysis.out_of_order",
      "This frame is a (suspected) out-of-order segment", expert.group.SEQUENCE, expert.severity.WARN),
  lost = ProtoExpert.new("glass.analysis.lost_segment",
      "Previous segment(s) not captured (lost, or the capture started late)",
      expert.group.SEQUENCE, expert.severity.WARN),
  dupack = ProtoExpert.new("glass.analysis.duplicate_ack", "Duplicate ACK",
      expert.group.SEQUENCE, expert.severity.NOTE),
  zero_window = ProtoExpert.new("glass.analysis.zero_window", "Zero window",
      expert.group.SEQUENCE, expert.severity.WARN),
  window_update = ProtoExpert.new("glass.analysis.window_update", "Window update",
      expert.group.SEQUENCE, expert.severity.CHAT),
  zwp = ProtoExpert.new("glass.analysis.zero_window_probe", "Zero window probe",
      expert.group.SEQUENCE, expert.severity.NOTE),
  zwp_ack = ProtoExpert.new("glass.analysis.zero_window_probe_ack", "Zero window probe ACK",
      expert.group.SEQUENCE, expert.severity.NOTE),
  syn = ProtoExpert.new("glass.connection.syn", "Connection establish request (SYN)",
      expert.group.SEQUENCE, expert.severity.CHAT),
  synack = ProtoExpert.new("glass.connection.synack", "Connection establish acknowledge (SYN+ACK)",
      expert.group.SEQUENCE, expert.severity.CHAT),
  fin = ProtoExpert.new("glass.connection.fin", "Connection finish (FIN)",
      expert.group.SEQUENCE, expert.severity.CHAT),
  rst = ProtoExpert.new("glass.connection.rst", "Connection reset (RST)",
      expert.group.SEQUENCE, expert.severity.WARN),
}
glass.experts = {
  e.bad_checksum, e.malformed, e.retrans, e.fast_retrans, e.ooo, e.lost, e.dupack,
  e.zero_window, e.window_update, e.zwp, e.zwp_ack, e.syn, e.synack, e.fin, e.rst,
}

glass.prefs.check_checksum = Pref.bool("Validate the checksum", true,
    "Verify the Internet checksum of every frame. Frames captured on the sending glass "
    .. "device carry 0 there (the device computes it only when something must see the real "
    .. "bytes: a corrupting fault or qdisc); those show as Unverified.")
glass.prefs.relative_seq = Pref.bool("Relative sequence numbers", true,
    "Show sequence and acknowledgment numbers relative to each direction's first one")
glass.prefs.analyze = Pref.bool("Analyze sequence numbers", true,
    "Flag retransmissions, out-of-order segments, duplicate ACKs, window changes")
glass.prefs.ooo_ms = Pref.uint("Out-of-order threshold (ms)", 3,
    "A segment that fills a hole within this time after the hole appeared is out of order; "
    .. "later, it is a retransmission")

-- ---------------------------------------------------------------------------
-- The Internet checksum (RFC 1071), as the kernel computes it.

-- The 16-bit one's complement sum of the bytes of s (odd length: a zero pad).
local function ones_sum(s, sum)
  local n = #s
  local i = 1
  while i + 7 <= n do
    local a, b, c, d, e1, f1, g, h = s:byte(i, i + 7)
    sum = sum + a * 256 + b + c * 256 + d + e1 * 256 + f1 + g * 256 + h
    i = i + 8
  end
  while i + 1 <= n do
    local a, b = s:byte(i, i + 1)
    sum = sum + a * 256 + b
    i = i + 2
  end
  if i == n then sum = sum + s:byte(n) * 256 end
  return sum
end

local function fold(sum)
  while sum > 0xffff do sum = sum % 0x10000 + math.floor(sum / 0x10000) end
  return sum
end

-- ---------------------------------------------------------------------------
-- Per-connection state, built on the first pass over the frames and kept
-- per frame so a second dissection (a click in the GUI) shows the same.

local streams  -- key "a:p-b:q" (sorted ends) -> stream
local n_streams
local frames   -- frame number -> what the first pass found

local function reset()
  streams = {}
  n_streams = 0
  frames = {}
end
reset()
glass.init = reset  -- a new capture file starts afresh

local function new_dir()
  -- base: raw number of relative 0; next_seq: relative end of the highest
  -- segment seen; seen: sorted disjoint {lo, hi} ranges of sequence space.
  return { base = nil, next_seq = nil, next_time = 0, seen = {}, last_ack = nil,
           last_win = nil, last_ack_frame = 0, dupacks = 0, probe_pending = false }
end

local function new_stream(key, a, b)
  local s = { index = n_streams, syn_seq = nil, dirs = { [a] = new_dir(), [b] = new_dir() } }
  n_streams = n_streams + 1
  streams[key] = s
  return s
end

local function rel(raw, base)
  return (raw - base) % 0x100000000
end

-- Is [lo, hi) inside what was seen? Then add it.
local function covered(seen, lo, hi)
  for _, r in ipairs(seen) do
    if r[1] <= lo and hi <= r[2] then return true end
  end
  return false
end

local function add_range(seen, lo, hi)
  local out, placed = {}, false
  for _, r in ipairs(seen) do
    if r[2] < lo then
      out[#out + 1] = r
    elseif hi < r[1] then
      if not placed then out[#out + 1] = { lo, hi }; placed = true end
      out[#out + 1] = r
    else
      lo, hi = math.min(lo, r[1]), math.max(hi, r[2])
    end
  end
  if not placed then out[#out + 1] = { lo, hi } end
  table.sort(out, function(x, y) return x[1] < y[1] end)
  for i = #seen, 1, -1 do seen[i] = nil end
  for i, r in ipairs(out) do seen[i] = r end
end

-- The first pass over one frame: stream, relative numbers, analysis.
local function analyze(h, pinfo)
  local fwd = h.src .. ":" .. h.sport
  local rev = h.dst .. ":" .. h.dport
  local key = fwd < rev and (fwd .. "-" .. rev) or (rev .. "-" .. fwd)
  local s = streams[key]
  local syn_only = bit32.band(h.flags, SYN + ACK) == SYN
  if s == nil or (syn_only and s.syn_seq ~= h.seq) then
    s = new_stream(key, fwd, rev)
  end
  if syn_only then s.syn_seq = h.seq end
  local d, r = s.dirs[fwd], s.dirs[rev]
  local info = { stream = s.index, flags = {} }

  if d.base == nil then
    d.base = bit32.band(h.flags, SYN) ~= 0 and h.seq or (h.seq - 1) % 0x100000000
  end
  local has_ack = bit32.band(h.flags, ACK) ~= 0
  if has_ack and r.base == nil then r.base = (h.ack - 1) % 0x100000000 end
  local seq = rel(h.seq, d.base)
  local ack = has_ack and rel(h.ack, r.base) or nil
  local syn = bit32.band(h.flags, SYN) ~= 0 and 1 or 0
  local fin = bit32.band(h.flags, FIN) ~= 0 and 1 or 0
  local is_rst = bit32.band(h.flags, RST) ~= 0
  local seglen = h.len + syn + fin
  info.seq, info.ack, info.nxtseq = seq, ack, seq + seglen
  info.seglen = seglen

  if not glass.prefs.analyze or h.bad then return info end
  local now = pinfo.abs_ts
  local t = info.flags

  -- Sequence: new data, a retransmission, an out-of-order arrival, or a gap.
  local pure = h.len == 0 and syn == 0 and fin == 0 and not is_rst
  if pure and d.next_seq ~= nil and seq == (d.next_seq - 1) % 0x100000000 then
    t.zwp = true
    d.probe_pending = true
  elseif seglen > 0 then
    local lo, hi = seq, seq + seglen
    if d.next_seq ~= nil and lo < d.next_seq then
      local seen = covered(d.seen, lo, hi)
      if r.dupacks >= 2 and r.last_ack == lo then
        t.fast_retrans = true
      elseif not seen and (now - d.next_time) * 1000 < glass.prefs.ooo_ms then
        t.ooo = true
      else
        t.retrans = true
      end
    elseif d.next_seq ~= nil and lo > d.next_seq and syn == 0 then
      t.lost = true
    end
    add_range(d.seen, lo, hi)
    if d.next_seq == nil or hi > d.next_seq then
      d.next_seq, d.next_time = hi, now
    end
  elseif d.next_seq == nil then
    d.next_seq, d.next_time = seq, now
  end

  -- Acknowledgment: a duplicate, a window update, the answer to a probe.
  if has_ack and not is_rst then
    if pure and not t.zwp and d.last_ack == ack then
      if r.probe_pending then
        t.zwp_ack = true
      elseif h.window ~= d.last_win then
        t.window_update = true
      elseif r.next_seq ~= nil and r.next_seq > ack then
        d.dupacks = d.dupacks + 1
        t.dupack = true
        info.dupack_num = d.dupacks
        info.dupack_frame = d.last_ack_frame
      end
    end
    if d.last_ack ~= ack then
      d.dupacks = 0
      d.last_ack_frame = pinfo.number
    end
    if r.probe_pending and not t.zwp then r.probe_pending = false end
    d.last_ack, d.last_win = ack, h.window
  end
  if h.window == 0 and syn == 0 and fin == 0 and not is_rst then t.zero_window = true end
  return info
end

-- ---------------------------------------------------------------------------
-- The dissector.

local function flag_text(flags)
  local names = {}
  for _, p in ipairs({ { SYN, "SYN" }, { FIN, "FIN" }, { RST, "RST" }, { PSH, "PSH" },
                       { ACK, "ACK" }, { EXT, "EXT" } }) do
    if bit32.band(flags, p[1]) ~= 0 then names[#names + 1] = p[2] end
  end
  if bit32.band(flags, bit32.bnot(FLAGS_ALL)) ~= 0 then names[#names + 1] = "Reserved" end
  return table.concat(names, ", ")
end

local function flag_str(flags)
  local out = ""
  -- Bits 7..0: two reserved (shown as *), then EXT ACK PSH RST SYN FIN.
  for i, c in ipairs({ "*", "*", "E", "A", "P", "R", "S", "F" }) do
    local bit = 2 ^ (8 - i)
    if bit32.band(flags, bit) ~= 0 then out = out .. c else out = out .. "·" end
  end
  return out
end

-- The checksum: status, calculated value (nil when not checked), a note.
local function checksum(tvb, h, total)
  if not glass.prefs.check_checksum then return CK_UNVERIFIED, nil, "validation disabled" end
  if h.truncated then return CK_UNVERIFIED, nil, "frame shorter than its length field" end
  if tvb:len() < total then return CK_UNVERIFIED, nil, "not all bytes captured" end
  local sum = ones_sum(tvb:raw(0, total), 0)
  local without = sum - h.check
  local expected = 0xffff - fold(without)
  if fold(sum) == 0xffff then return CK_GOOD, expected, nil end
  if h.check == 0 and h.len > 0 then
    return CK_UNVERIFIED, expected, "0: captured before the device computed it (checksum offload)"
  end
  return CK_BAD, expected, nil
end

local function add_header(tree, tvb, h, info, rel_on)
  tree:add(f.version, tvb(0, 1))
  local ft = tree:add(f.flags, tvb(1, 1))
  ft:append_text(" (" .. flag_text(h.flags) .. ")")
  ft:add(f.flags_res, tvb(1, 1))
  ft:add(f.flags_ext, tvb(1, 1))
  ft:add(f.flags_ack, tvb(1, 1))
  ft:add(f.flags_psh, tvb(1, 1))
  ft:add(f.flags_rst, tvb(1, 1))
  ft:add(f.flags_syn, tvb(1, 1))
  ft:add(f.flags_fin, tvb(1, 1))
  ft:add(f.flags_str, flag_str(h.flags)):set_generated()
  tree:add(f.len, tvb(2, 2))
  tree:add(f.payload_len, h.len):set_generated()
  tree:add(f.srcport, tvb(4, 2))
  tree:add(f.dstport, tvb(6, 2))
  tree:add(f.port, tvb(4, 2)):set_hidden()
  tree:add(f.port, tvb(6, 2)):set_hidden()
  tree:add(f.src, tvb(8, 4))
  tree:add(f.dst, tvb(12, 4))
  tree:add(f.addr, tvb(8, 4)):set_hidden()
  tree:add(f.addr, tvb(12, 4)):set_hidden()
  tree:add(f.stream, info.stream):set_generated()
  if rel_on then
    tree:add(f.seq, tvb(16, 4), info.seq):append_text(" (relative sequence number)")
    tree:add(f.seq_raw, tvb(16, 4))
  else
    tree:add(f.seq, tvb(16, 4))
  end
  tree:add(f.nxtseq, rel_on and info.nxtseq or (h.seq + info.seglen) % 0x100000000)
      :set_generated()
  if info.ack ~= nil then
    if rel_on then
      tree:add(f.ack, tvb(20, 4), info.ack):append_text(" (relative ack number)")
      tree:add(f.ack_raw, tvb(20, 4))
    else
      tree:add(f.ack, tvb(20, 4))
    end
  else
    tree:add(tvb(20, 4), "Acknowledgment number: " .. h.ack .. " (no ACK flag)")
  end
  tree:add(f.window, tvb(24, 4))
  local mt = tree:add(f.mss, tvb(28, 2))
  if bit32.band(h.flags, SYN) ~= 0 then
    mt:append_text(" (the largest payload the sender accepts)")
  elseif h.mss ~= 0 then
    mt:append_text(" (a train: the size of the segments this frame carries)")
  end
end

-- The extension area at HDR_LEN, avail bytes: its parsed items, or nil and
-- why it is malformed (the receiver drops such a frame: drop_malformed).
local function parse_ext(tvb, flags, avail)
  if avail < 4 or tvb:len() < HDR_LEN + 4 then return nil, "area shorter than its header" end
  local x = { version = tvb(HDR_LEN, 1):uint(), len = tvb(HDR_LEN + 2, 2):uint(), items = {} }
  if x.version ~= EXT_VERSION then return nil, "unknown extension version " .. x.version end
  if tvb(HDR_LEN + 1, 1):uint() ~= 0 then return nil, "reserved byte set" end
  if x.len % 4 ~= 0 or x.len <= 4 or x.len > EXT_MAX or x.len > avail then
    return nil, "bad extension length " .. x.len
  end
  if tvb:len() < HDR_LEN + x.len then return nil, "not all bytes captured" end
  local off, seen = 4, {}
  while off < x.len do
    if x.len - off < 4 then return nil, "item overruns the area" end
    local at = HDR_LEN + off
    local it = { at = at, kind = tvb(at, 1):uint(), len = tvb(at + 1, 1):uint(), blocks = {} }
    if it.len < 4 or it.len % 4 ~= 0 or it.len > x.len - off or tvb(at + 2, 2):uint() ~= 0 then
      return nil, "bad item length or reserved bytes"
    end
    if seen[it.kind] then return nil, "kind " .. it.kind .. " twice" end
    seen[it.kind] = true
    if it.kind == EXT_SACK_PERM then
      if it.len ~= 4 or bit32.band(flags, SYN) == 0 then return nil, "SACK permitted misplaced" end
    elseif it.kind == EXT_SACK then
      local n = (it.len - 4) / 8
      if bit32.band(flags, SYN) ~= 0 or bit32.band(flags, ACK) == 0 or n < 1 or n > 4
          or n ~= math.floor(n) then
        return nil, "SACK item misplaced or of a bad length"
      end
      for b = 0, n - 1 do
        local l, r = tvb(at + 4 + 8 * b, 4):uint(), tvb(at + 8 + 8 * b, 4):uint()
        if (l - r) % 0x100000000 < 0x80000000 then return nil, "empty or inverted SACK block" end
        it.blocks[#it.blocks + 1] = { l = l, r = r, off = at + 4 + 8 * b }
      end
    else
      return nil, "unknown extension kind " .. it.kind
    end
    x.items[#x.items + 1] = it
    off = off + it.len
  end
  return x, nil
end

-- The area's tree; SACK edges relative to the acknowledged direction's
-- first sequence number when relative numbers are on (like glass.ack).
local function add_ext(tree, tvb, h, x, info, rel_on)
  local xt = tree:add(f.ext, tvb(HDR_LEN, x.len))
  xt:add(f.ext_version, tvb(HDR_LEN, 1))
  xt:add(f.ext_len, tvb(HDR_LEN + 2, 2))
  local base = 0
  if rel_on and info.ack ~= nil then base = (h.ack - info.ack) % 0x100000000 end
  for i, it in ipairs(x.items) do
    local it_tree = xt:add(f.ext_kind, tvb(it.at, 1))
    it_tree:add(f.ext_item_len, tvb(it.at + 1, 1))
    if it.kind == EXT_SACK_PERM then
      it_tree:add(f.sack_perm, tvb(it.at, 4), true)
    end
    for j, b in ipairs(it.blocks) do
      local l, r = (b.l - base) % 0x100000000, (b.r - base) % 0x100000000
      local bt = it_tree:add(f.sack, tvb(b.off, 8))
      bt:set_text(string.format("SACK block %d: %u-%u", j, l, r))
      bt:add(f.sack_left, tvb(b.off, 4), l)
      bt:add(f.sack_right, tvb(b.off + 4, 4), r)
      -- RFC 2883: a first block below the ACK, or inside the second.
      local below = (h.ack - b.r) % 0x100000000 < 0x80000000
      local inside = j == 1 and #it.blocks > 1
          and (b.l - it.blocks[2].l) % 0x100000000 < 0x80000000
          and (it.blocks[2].r - b.r) % 0x100000000 < 0x80000000
      if j == 1 and (below or inside) then bt:add(f.sack_dsack, true):set_generated() end
    end
  end
end

-- " SACK=l-r,l-r" / " SACK_PERM" for the Info column.
local function ext_text(h, x, info, rel_on)
  local out = ""
  local base = 0
  if rel_on and info.ack ~= nil then base = (h.ack - info.ack) % 0x100000000 end
  for _, it in ipairs(x.items) do
    if it.kind == EXT_SACK_PERM then out = out .. " SACK_PERM" end
    for j, b in ipairs(it.blocks) do
      out = out .. (j == 1 and " SACK=" or ",") .. string.format("%u-%u",
          (b.l - base) % 0x100000000, (b.r - base) % 0x100000000)
    end
  end
  return out
end

local function add_checksum(tree, tvb, status, calc, note)
  local ct = tree:add(f.checksum, tvb(30, 2))
  if status == CK_GOOD then
    ct:append_text(" [correct]")
  elseif status == CK_BAD then
    ct:append_text(string.format(" incorrect, should be 0x%04x", calc))
    ct:add_proto_expert_info(e.bad_checksum,
        string.format("Bad checksum [should be 0x%04x] (the receiver drops it: drop_checksum)", calc))
  else
    ct:append_text(" [unverified: " .. note .. "]")
  end
  if calc ~= nil then ct:add(f.checksum_calc, calc):set_generated() end
  ct:add(f.checksum_status, status):set_generated()
end

local function add_train(tree, tvb, h, info)
  local mss = h.train_mss
  local n = (mss > 0 and h.len > mss) and math.ceil(h.len / mss) or 1
  tree:add(f.segments, n):set_generated()
  if n == 1 then return n end
  local captured = tvb:len()
  local off = 0
  for i = 1, n do
    local seglen = math.min(mss, h.len - off)
    local from = HDR_LEN + off
    local range = from + seglen <= captured and tvb(from, seglen) or tvb(math.min(from, captured), 0)
    local st = tree:add(f.segment, range)
    st:set_text(string.format("Segment %d of %d: Seq=%u, Len=%u", i, n,
        (info.seq + off) % 0x100000000, seglen))
    st:add(f.segment_seq, (info.seq + off) % 0x100000000):set_generated()
    st:add(f.segment_len, seglen):set_generated()
    off = off + seglen
  end
  return n
end

local function add_analysis(tree, tvb, info)
  local t = info.flags
  if next(t) == nil then return end
  local at = tree:add(f.analysis, tvb(0, 0)):set_generated()
  local ft = at:add(f.analysis_flags, tvb(0, 0)):set_generated()
  local function x(cond, ei) if cond then ft:add_proto_expert_info(ei) end end
  x(t.fast_retrans, e.fast_retrans)
  x(t.fast_retrans or t.retrans, e.retrans)
  x(t.ooo, e.ooo)
  x(t.lost, e.lost)
  x(t.zero_window, e.zero_window)
  x(t.window_update, e.window_update)
  x(t.zwp, e.zwp)
  x(t.zwp_ack, e.zwp_ack)
  if t.dupack then
    ft:add_proto_expert_info(e.dupack, "Duplicate ACK (#" .. info.dupack_num .. ")")
    at:add(f.dupack_num, info.dupack_num):set_generated()
    at:add(f.dupack_frame, info.dupack_frame):set_generated()
  end
end

local function info_prefix(t)
  if t.fast_retrans then return "[glass Fast Retransmission] " end
  if t.retrans then return "[glass Retransmission] " end
  if t.ooo then return "[glass Out-Of-Order] " end
  if t.lost then return "[glass Previous segment not captured] " end
  if t.dupack then return "[glass Dup ACK] " end
  if t.zwp then return "[glass ZeroWindowProbe] " end
  if t.zwp_ack then return "[glass ZeroWindowProbeAck] " end
  if t.zero_window then return "[glass ZeroWindow] " end
  if t.window_update then return "[glass Window Update] " end
  return ""
end

-- A neighbour message: who holds an address (request), I do (reply).
local function dissect_neigh(tvb, pinfo, root)
  local captured = tvb:len()
  local tree = root:add(glass, tvb(0, math.min(NEIGH_LEN, captured)))
  local sub = tree:add(f.neigh, tvb(0, math.min(NEIGH_LEN, captured)))
  if captured < NEIGH_LEN then
    sub:add_proto_expert_info(e.malformed, "Neighbour message too short (" .. captured
        .. " of 16 bytes)")
    pinfo.cols.info = "glass neighbour: truncated"
    return captured
  end
  local op = tvb(1, 1):uint()
  local sender, target = tostring(tvb(4, 4):ipv4()), tostring(tvb(8, 4):ipv4())
  sub:add(f.version, tvb(0, 1))
  sub:add(f.neigh_op, tvb(1, 1))
  sub:add(f.neigh_sender, tvb(4, 4))
  sub:add(f.neigh_target, tvb(8, 4))
  sub:add(f.neigh_checksum, tvb(14, 2))
  local good = fold(ones_sum(tvb(0, NEIGH_LEN):raw(), 0)) == 0xffff
  sub:add(f.neigh_checksum_ok, good)
  if not good then
    sub:add_proto_expert_info(e.malformed, "Bad checksum (neigh_bad_messages)")
  end
  if op == 1 then
    pinfo.cols.info = "glass neighbour: who has " .. target .. "? tell " .. sender
  elseif op == 2 then
    pinfo.cols.info = "glass neighbour: " .. sender .. " is at " .. tostring(pinfo.src)
  else
    pinfo.cols.info = "glass neighbour: unknown operation " .. op
    sub:add_proto_expert_info(e.malformed, "Unknown operation (neigh_bad_messages)")
  end
  return NEIGH_LEN
end

function glass.dissector(tvb, pinfo, root)
  pinfo.cols.protocol = "GLASS"
  local captured = tvb:len()
  if captured >= 1 and tvb(0, 1):uint() == NEIGH_VERSION then
    return dissect_neigh(tvb, pinfo, root)
  end
  if captured < HDR_LEN then
    local tree = root:add(glass, tvb())
    tree:add_proto_expert_info(e.malformed,
        "Frame too short for a glass header (" .. captured .. " of 32 bytes)")
    pinfo.cols.info = "glass: truncated header"
    return captured
  end
  local h = {
    version = tvb(0, 1):uint(), flags = tvb(1, 1):uint(), len = tvb(2, 2):uint(),
    sport = tvb(4, 2):uint(), dport = tvb(6, 2):uint(),
    src = tostring(tvb(8, 4):ipv4()), dst = tostring(tvb(12, 4):ipv4()),
    seq = tvb(16, 4):uint(), ack = tvb(20, 4):uint(), window = tvb(24, 4):uint(),
    mss = tvb(28, 2):uint(), check = tvb(30, 2):uint(),
  }
  local total = HDR_LEN + h.len
  h.truncated = tvb:reported_len() < total
  h.train_mss = bit32.band(h.flags, SYN) == 0 and h.mss or 0
  -- From here on h.len is the payload: the extension area comes first.
  local x, ext_why = nil, nil
  h.ext_len = 0
  if bit32.band(h.flags, EXT) ~= 0 and not h.truncated then
    x, ext_why = parse_ext(tvb, h.flags, h.len)
    if x ~= nil then h.ext_len = x.len end
  end
  h.len = h.len - h.ext_len
  local tree = root:add(glass, tvb(0, math.min(total, captured)))
  local status, calc, note = checksum(tvb, h, total)
  h.bad = status == CK_BAD or h.truncated

  local info = frames[pinfo.number]
  if info == nil then
    info = analyze(h, pinfo)
    frames[pinfo.number] = info
  end
  local rel_on = glass.prefs.relative_seq
  add_header(tree, tvb, h, info, rel_on)
  add_checksum(tree, tvb, status, calc, note)
  if x ~= nil then add_ext(tree, tvb, h, x, info, rel_on) end
  if ext_why ~= nil then
    tree:add_proto_expert_info(e.malformed, "Extension area: " .. ext_why .. " (drop_malformed)")
  end

  if h.version ~= 1 then
    tree:add_proto_expert_info(e.malformed, "Unknown version " .. h.version
        .. " (the receiver drops it: drop_malformed)")
  end
  if bit32.band(h.flags, bit32.bnot(FLAGS_ALL)) ~= 0 then
    tree:add_proto_expert_info(e.malformed, "Reserved flag bits set (drop_malformed)")
  end
  if h.truncated then
    tree:add_proto_expert_info(e.malformed, string.format(
        "Length %u exceeds the frame (the receiver drops it: drop_truncated)", h.len))
  end
  if h.train_mss ~= 0 and (h.train_mss < MIN_MSS or h.len <= h.train_mss) then
    tree:add_proto_expert_info(e.malformed, string.format(
        "Train MSS %u with length %u (drop_malformed)", h.train_mss, h.len))
    h.train_mss = 0
  end
  local nsegs = add_train(tree, tvb, h, info)
  local at = HDR_LEN + h.ext_len
  if h.len > 0 and captured > at then
    tree:add(f.payload, tvb(at, math.min(h.len, captured - at)))
  end

  local t = info.flags
  if bit32.band(h.flags, SYN + ACK) == SYN then
    tree:add_proto_expert_info(e.syn)
  elseif bit32.band(h.flags, SYN) ~= 0 then
    tree:add_proto_expert_info(e.synack)
  end
  if bit32.band(h.flags, FIN) ~= 0 then tree:add_proto_expert_info(e.fin) end
  if bit32.band(h.flags, RST) ~= 0 then tree:add_proto_expert_info(e.rst) end
  add_analysis(tree, tvb, info)

  pinfo.src = Address.ip(h.src)
  pinfo.dst = Address.ip(h.dst)
  pinfo.src_port = h.sport
  pinfo.dst_port = h.dport
  local seq_shown = rel_on and info.seq or h.seq
  local text = string.format("%s%u → %u [%s] Seq=%u", info_prefix(t), h.sport, h.dport,
      flag_text(h.flags), seq_shown)
  if info.ack ~= nil then
    text = text .. " Ack=" .. (rel_on and info.ack or h.ack)
  end
  text = text .. " Win=" .. h.window .. " Len=" .. h.len
  if bit32.band(h.flags, SYN) ~= 0 and h.mss ~= 0 then text = text .. " MSS=" .. h.mss end
  if x ~= nil then text = text .. ext_text(h, x, info, rel_on) end
  if nsegs > 1 then text = text .. string.format(" [train: %u segments of %u]", nsegs, h.mss) end
  if status == CK_BAD then text = text .. " [BAD CHECKSUM]" end
  tree:append_text(string.format(", Src Port: %u, Dst Port: %u, Seq: %u, Len: %u",
      h.sport, h.dport, seq_shown, h.len))
  pinfo.cols.info = text
  return math.min(total, captured)
end

DissectorTable.get("ethertype"):add(0x88b5, glass)

-- ---------------------------------------------------------------------------
-- `tshark -q -z glass,follow,N`: the bytes of stream N, each direction in
-- sequence order, retransmitted bytes once (like -z follow,tcp,raw,N).

local payload_f = Field.new("glass.payload")
local stream_f = Field.new("glass.stream")
local seq_f = Field.new("glass.seq")
local srcport_f = Field.new("glass.srcport")
local src_f = Field.new("glass.src")
local status_f = Field.new("glass.checksum.status")

register_stat_cmd_arg("glass,follow", function(arg)
  local want = tonumber(arg:match("^glass,follow,(%d+)$") or "")
  if want == nil then error("usage: -z glass,follow,STREAM") end
  local tap = Listener.new("frame", "glass.stream == " .. want)
  local dirs, order = {}, {}
  function tap.packet()
    local st = stream_f()
    if st == nil or st.value ~= want then return end
    local status = status_f()
    if status ~= nil and status.value == CK_BAD then return end
    local p = payload_f()
    if p == nil then return end
    local key = tostring(src_f().value) .. ":" .. srcport_f().value
    local d = dirs[key]
    if d == nil then
      d = { chunks = {}, key = key }
      dirs[key] = d
      order[#order + 1] = key
    end
    d.chunks[#d.chunks + 1] = { seq = seq_f().value, bytes = p.range:bytes():raw() }
  end
  function tap.draw()
    print("===================================================================")
    print("Follow: glass,raw")
    print("Filter: glass.stream == " .. want)
    for _, key in ipairs(order) do
      local d = dirs[key]
      table.sort(d.chunks, function(a, b) return a.seq < b.seq end)
      local out, at = {}, nil
      for _, c in ipairs(d.chunks) do
        if at == nil then at = c.seq end
        local skip = at - c.seq
        if skip < #c.bytes then
          local part = skip > 0 and c.bytes:sub(skip + 1) or c.bytes
          out[#out + 1] = part
          at = at + #part
        end
      end
      local data = table.concat(out)
      print(string.format("Node: %s, %d bytes", key, #data))
      local hex = {}
      for i = 1, #data do hex[#hex + 1] = string.format("%02x", data:byte(i)) end
      print(table.concat(hex))
    end
    print("===================================================================")
  end
end)
