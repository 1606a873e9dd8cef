#include "common/metric_sink.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>

#include "common/file_util.h"

namespace common {
namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 if invalid.
size_t Utf8SequenceLength(std::string_view s, size_t i) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  size_t n;
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 0;
  }
  // Overlong forms, surrogates and code points above U+10FFFF.
  if (c == 0xE0 && b(i + 1) < 0xA0) return 0;
  if (c == 0xED && b(i + 1) >= 0xA0) return 0;
  if (c == 0xF0 && b(i + 1) < 0x90) return 0;
  if (c == 0xF4 && b(i + 1) >= 0x90) return 0;
  return n;
}

}  // namespace

void AppendValue(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "NaN";
    return;
  }
  if (std::isinf(value)) {
    out += value > 0 ? "+Inf" : "-Inf";
    return;
  }
  char buf[32];
  auto res = std::to_chars(buf, buf + sizeof(buf), value);
  out.append(buf, res.ptr);
}

void AppendEscapedLabelValue(std::string& out, std::string_view value) {
  size_t i = 0;
  while (i < value.size()) {
    char c = value[i];
    if (static_cast<unsigned char>(c) < 0x80) {
      if (c == '\\') {
        out += "\\\\";
      } else if (c == '"') {
        out += "\\\"";
      } else if (c == '\n') {
        out += "\\n";
      } else {
        out += c;
      }
      ++i;
      continue;
    }
    size_t n = Utf8SequenceLength(value, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
      ++i;
    } else {
      out.append(value.substr(i, n));
      i += n;
    }
  }
}

MetricSink::Family& MetricSink::FamilyOf(const Desc& desc) {
  if (&desc == last_desc_) return families_[last_index_];
  auto [it, inserted] = index_.try_emplace(&desc, families_used_);
  if (inserted) {
    // After Clear, slots keep their series' capacity for the next scrape.
    if (families_used_ == families_.size()) families_.emplace_back();
    Family& f = families_[families_used_++];
    f.desc = &desc;
    f.keep_order = false;
    f.series.clear();
  }
  last_desc_ = &desc;
  last_index_ = it->second;
  return families_[it->second];
}

template <typename Range>
void MetricSink::AddValues(const Desc& desc, double value,
                           const Range& label_values) {
  if (label_values.size() != desc.label_names().size()) {
    throw std::invalid_argument(
        "metric " + desc.name() + ": " + std::to_string(label_values.size()) +
        " label values for " + std::to_string(desc.label_names().size()) +
        " label names");
  }
  Family& family = FamilyOf(desc);
  size_t start = arena_.size();
  size_t i = 0;
  for (const auto& v : label_values) {
    arena_ += desc.label_prefix(i++);
    AppendEscapedLabelValue(arena_, v);
    arena_ += '"';
  }
  if (i > 0) arena_ += '}';
  family.series.push_back(Series{static_cast<uint32_t>(start),
                                 static_cast<uint32_t>(arena_.size() - start),
                                 {},
                                 value});
  journal_.push_back(static_cast<uint32_t>(last_index_));
}

void MetricSink::Add(const Desc& desc, double value,
                     std::initializer_list<std::string_view> label_values) {
  AddValues(desc, value, label_values);
}
void MetricSink::Add(const Desc& desc, double value,
                     std::span<const std::string> label_values) {
  AddValues(desc, value, label_values);
}
void MetricSink::Add(const Desc& desc, double value,
                     std::span<const std::string_view> label_values) {
  AddValues(desc, value, label_values);
}

void MetricSink::AddRaw(const Desc& desc, std::string_view suffix, double value,
                        std::span<const Label> labels) {
  Family& family = FamilyOf(desc);
  size_t start = arena_.size();
  for (size_t i = 0; i < labels.size(); ++i) {
    arena_ += i == 0 ? '{' : ',';
    arena_.append(labels[i].first);
    arena_ += "=\"";
    AppendEscapedLabelValue(arena_, labels[i].second);
    arena_ += '"';
  }
  if (!labels.empty()) arena_ += '}';
  family.series.push_back(Series{static_cast<uint32_t>(start),
                                 static_cast<uint32_t>(arena_.size() - start),
                                 suffix, value});
  journal_.push_back(static_cast<uint32_t>(last_index_));
}

const Desc& MetricSink::OwnDesc(Desc desc) {
  return owned_.emplace_back(std::move(desc));
}

const std::string& MetricSink::ReadFileOnce(const std::string& path) {
  auto it = files_.find(path);
  if (it != files_.end()) return it->second;
  std::string text = ReadFile(path);
  return files_.emplace(path, std::move(text)).first->second;
}

void MetricSink::KeepOrder(const Desc& desc) {
  FamilyOf(desc).keep_order = true;
}

void MetricSink::Rollback(size_t mark) {
  while (journal_.size() > mark) {
    families_[journal_.back()].series.pop_back();
    journal_.pop_back();
  }
}

void MetricSink::Clear() {
  if (journal_.capacity() > kKeptSamples || arena_.capacity() > kKeptBytes) {
    // A rare huge scrape: give its memory back rather than keep it.
    arena_ = std::string();
    families_ = std::vector<Family>();
    journal_ = std::vector<uint32_t>();
    index_ = std::unordered_map<const Desc*, size_t>();
  }
  arena_.clear();
  families_used_ = 0;
  index_.clear();
  last_desc_ = nullptr;
  last_index_ = 0;
  owned_.clear();
  journal_.clear();
  files_.clear();
}

void MetricSink::Finish(std::string& out) {
  std::vector<Family*> order;
  order.reserve(families_used_);
  for (size_t i = 0; i < families_used_; ++i) {
    if (!families_[i].series.empty()) order.push_back(&families_[i]);
  }
  // By name, then by first use, so that of two families of one name the
  // first added comes first (its HELP and TYPE win). std::sort with this key
  // is as deterministic as stable_sort without its per-call buffer.
  std::sort(order.begin(), order.end(), [](const Family* a, const Family* b) {
    int c = a->desc->name().compare(b->desc->name());
    return c != 0 ? c < 0 : a < b;
  });
  auto labels = [this](const Series& s) {
    return std::string_view(arena_).substr(s.labels_offset, s.labels_size);
  };
  auto series_less = [&](const Series& a, const Series& b) {
    if (a.suffix != b.suffix) return a.suffix < b.suffix;
    return labels(a) < labels(b);
  };
  auto series_equal = [&](const Series& a, const Series& b) {
    return a.suffix == b.suffix && labels(a) == labels(b);
  };
  for (size_t i = 0; i < order.size();) {
    Family* head = order[i];
    size_t j = i + 1;
    // Families of one name from several Descs are merged under the first.
    while (j < order.size() && order[j]->desc->name() == head->desc->name()) {
      auto& src = order[j]->series;
      head->series.insert(head->series.end(),
                          std::make_move_iterator(src.begin()),
                          std::make_move_iterator(src.end()));
      head->keep_order = head->keep_order || order[j]->keep_order;
      ++j;
    }
    auto& series = head->series;
    if (!head->keep_order) {
      if (!std::is_sorted(series.begin(), series.end(), series_less)) {
        std::stable_sort(series.begin(), series.end(), series_less);
      }
      series.erase(std::unique(series.begin(), series.end(), series_equal),
                   series.end());
    }
    out += head->desc->header();
    const std::string& name = head->desc->name();
    for (const Series& s : series) {
      out += name;
      out += s.suffix;
      out += labels(s);
      out += ' ';
      AppendValue(out, s.value);
      out += '\n';
    }
    i = j;
  }
}

}  // namespace common
