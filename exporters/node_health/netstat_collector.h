#pragma once

#include <memory>
#include <mutex>
#include <regex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/collector.h"
#include "common/desc_cache.h"
#include "common/filter.h"

namespace node_health {

// One statistic of /proc/net/{netstat,snmp,snmp6}: protocol ("Tcp",
// "TcpExt", "Ip6"), field ("CurrEstab") and value. The views point into the
// parsed text.
struct NetStatValue {
  std::string_view proto;
  std::string_view field;
  double value = 0;
};

// Parses /proc/net/netstat or /proc/net/snmp: pairs of "Proto: names..." and
// "Proto: values..." lines, appending to `out`. Values may be negative (Tcp
// MaxConn is -1). `file` names the source in errors. Throws
// common::ParseError on an unpaired line, a pair whose protocols or field
// counts differ, or a value that is not a number.
void ParseNetStats(std::string_view text, std::string_view file,
                   std::vector<NetStatValue>& out);

// Parses /proc/net/snmp6 ("Ip6InReceives   123" lines), appending to `out`;
// the protocol is the name up to and including its first run of digits
// (Ip6, Icmp6, Udp6, UdpLite6). Lines without a digit in the name or without
// a value are skipped. Throws common::ParseError on a value that is not a
// number.
void ParseSnmp6(std::string_view text, std::vector<NetStatValue>& out);

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
};

// The spec of the netstat collector (enabled by default).
common::CollectorSpec NetstatSpec();

}  // namespace node_health
