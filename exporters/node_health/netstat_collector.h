#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/collector.h"
#include "common/desc_cache.h"
#include "common/filter.h"

namespace node_health {

// One selected statistic of /proc/net/{netstat,snmp,snmp6} and its value.
struct NetStatSample {
  const common::Desc* desc = nullptr;
  double value = 0;
};

// Parses one of /proc/net/netstat, /proc/net/snmp or /proc/net/snmp6 and
// keeps the statistics a Select function picks. The field names of these
// files are the same on every read, so each names line (netstat, snmp) or
// line name (snmp6) is looked up once and remembered: while the names read
// the same, only the picked values are parsed; the others are counted, not
// parsed. One parser per file; not thread-safe.
class NetStatParser {
 public:
  // Given "<Proto>_<Field>" ("Tcp_CurrEstab"), returns the Desc to report
  // it under, or nullptr to skip it.
  using Select = std::function<const common::Desc*(std::string_view key)>;

  // /proc/net/netstat or /proc/net/snmp: pairs of "Proto: names..." and
  // "Proto: values..." lines. Values may be negative (Tcp MaxConn is -1).
  // `file` names the source in errors. Appends to `out`. Throws
  // common::ParseError on an unpaired line, a pair whose protocols or field
  // counts differ, or a picked value that is not a number.
  void ParsePairs(std::string_view text, std::string_view file,
                  const Select& select, std::vector<NetStatSample>& out);

  // /proc/net/snmp6: "Ip6InReceives   123" lines; the protocol is the name
  // up to and including its first run of digits (Ip6, Icmp6, Udp6,
  // UdpLite6). Lines without a digit in the name, without a field after
  // it, or without a value are skipped. Throws common::ParseError on a
  // picked value that is not a number.
  void ParseSnmp6(std::string_view text, const Select& select,
                  std::vector<NetStatSample>& out);

  // Forgets the remembered names (when the Descs they point to may not
  // outlive the scrape).
  void Forget() {
    pairs_.clear();
    lines_.clear();
  }

 private:
  struct Pair {
    std::string names;  // the names line as read
    std::string proto;  // "Tcp"
    size_t fields = 0;  // fields of the line, "Tcp:" included
    std::vector<std::pair<size_t, const common::Desc*>> picked;
  };
  struct Line {
    std::string name;  // "Ip6InReceives"
    const common::Desc* desc = nullptr;
  };
  std::vector<Pair> pairs_;  // ParsePairs, by pair
  std::vector<Line> lines_;  // ParseSnmp6, by line
};

// The default of --collector.netstat.fields.
inline constexpr const char* kNetStatDefaultFields =
    "^(.*_(InErrors|InErrs)|Ip_Forwarding|Ip(6|Ext)_(InOctets|OutOctets)|Icmp6?"
    "_(InMsgs|OutMsgs)|"
    "TcpExt_(Listen.*|Syncookies.*|TCPSynRetrans|TCPTimeouts|TCPOFOQueue|"
    "TCPRcvQDrop)|"
    "Tcp_(ActiveOpens|InSegs|OutSegs|OutRsts|PassiveOpens|RetransSegs|"
    "CurrEstab)|"
    "Udp6?_(InDatagrams|OutDatagrams|NoPorts|RcvbufErrors|SndbufErrors))$";

// Options of the netstat collector, bound to its flags.
struct NetStatOptions {
  std::string fields = kNetStatDefaultFields;
};

// node_netstat_<Proto>_<Field> (untyped) from /proc/net/netstat,
// /proc/net/snmp and /proc/net/snmp6 (absent when IPv6 is disabled), for
// the fields whose "<Proto>_<Field>" matches --collector.netstat.fields.
class NetStatCollector : public common::Collector {
 public:
  // Throws std::invalid_argument if the fields pattern is invalid.
  NetStatCollector(const common::Paths& paths, const NetStatOptions& options);
  void Update(common::MetricSink& sink) override;

 private:
  std::string netstat_path_, snmp_path_, snmp6_path_;
  common::RegexFilter fields_;
  // "<Proto>_<Field>" -> its Desc, or none when the field is filtered out.
  common::DescCache descs_;
  struct Parsers {
    NetStatParser netstat, snmp, snmp6;
  };
  std::mutex mu_;    // held by the scrape that uses parsers_
  Parsers parsers_;  // a concurrent scrape parses with fresh ones
};

// The spec of the netstat collector (enabled by default).
common::CollectorSpec NetstatSpec();

}  // namespace node_health
