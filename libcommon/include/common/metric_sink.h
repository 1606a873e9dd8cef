#pragma once

#include <cstdint>
#include <deque>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/desc.h"

namespace common {

// Appends `value` in exposition form to `out`: the shortest text that reads
// back as the same double, "NaN", "+Inf" or "-Inf".
void AppendValue(std::string& out, double value);

// Appends `value` to `out` escaped as a label value (\\, \" and \n), with
// bytes that are not valid UTF-8 replaced by U+FFFD so that Prometheus never
// rejects the scrape.
void AppendEscapedLabelValue(std::string& out, std::string_view value);

// The samples gathered during one scrape. Not thread-safe: each scrape owns
// one. Descs passed to Add must outlive the sink (collectors own theirs; use
// OwnDesc for families whose names are only known at scrape time).
class MetricSink {
 public:
  using Label = std::pair<std::string_view, std::string_view>;

  MetricSink() = default;
  MetricSink(const MetricSink&) = delete;
  MetricSink& operator=(const MetricSink&) = delete;

  // Adds one sample of `desc` with `label_values` in the order of
  // desc.label_names(). Throws std::invalid_argument on a count mismatch.
  void Add(const Desc& desc, double value,
           std::initializer_list<std::string_view> label_values = {});
  void Add(const Desc& desc, double value,
           std::span<const std::string> label_values);
  void Add(const Desc& desc, double value,
           std::span<const std::string_view> label_values);

  // Adds a sample with its own label names, and a name suffix ("_bucket",
  // "_sum", "_count" or "") for histograms and summaries. For text read from
  // elsewhere (textfile collector). `suffix` must be a string literal.
  void AddRaw(const Desc& desc, std::string_view suffix, double value,
              std::span<const Label> labels);

  // Keeps `desc` alive for the lifetime of this sink and returns it.
  const Desc& OwnDesc(Desc desc);

  // Keeps the samples of `desc` in the order they were added instead of
  // sorting them by labels (histogram buckets must stay in `le` order).
  void KeepOrder(const Desc& desc);

  // The content of `path`, read at most once per scrape: collectors that
  // share a source (cpu and stat both parse /proc/stat) see one snapshot and
  // the kernel generates it once. Throws FileError as ReadFile. The reference
  // stays valid for the life of the sink.
  const std::string& ReadFileOnce(const std::string& path);

  // Number of samples added so far; also a mark for Rollback.
  size_t size() const { return journal_.size(); }

  // Drops every sample added after size() returned `mark` (a collector that
  // failed half-way loses all of its samples, not some).
  void Rollback(size_t mark);

  // Empties the sink for another scrape, keeping the memory it grew (the
  // label arena, the series of each family slot): reusing a sink saves some
  // hundred allocations a scrape. Past kKeptSamples samples or kKeptBytes of
  // labels, the memory is freed instead.
  static constexpr size_t kKeptSamples = 64 * 1024;
  static constexpr size_t kKeptBytes = 4 << 20;
  void Clear();

  // Writes the exposition text (format 0.0.4) to `out`: families sorted by
  // name, series by labels, duplicate series dropped (the first one wins),
  // families of the same name merged under the first one's HELP and TYPE.
  void Finish(std::string& out);

 private:
  // Rendered label sets ("{a=\"x\"}") live in one arena string, so a scrape
  // of a thousand series costs no per-series allocation.
  struct Series {
    uint32_t labels_offset;
    uint32_t labels_size;
    std::string_view suffix;
    double value;
  };
  struct Family {
    const Desc* desc = nullptr;
    bool keep_order = false;
    std::vector<Series> series;
  };
  Family& FamilyOf(const Desc& desc);
  template <typename Range>
  void AddValues(const Desc& desc, double value, const Range& label_values);

  std::string arena_;
  std::vector<Family> families_;  // the first families_used_ are in use
  size_t families_used_ = 0;
  std::unordered_map<const Desc*, size_t> index_;
  const Desc* last_desc_ = nullptr;
  size_t last_index_ = 0;
  std::deque<Desc> owned_;
  std::vector<uint32_t> journal_;  // family index of each sample, in order
  std::unordered_map<std::string, std::string> files_;  // for ReadFileOnce
};

}  // namespace common
