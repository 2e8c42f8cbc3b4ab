// Register stages of a Yosys JSON netlist (see register_stages.hpp).
#include "backend/register_stages.hpp"

#include <fixvar/core/error.hpp>
#include <fixvar/core/file.hpp>

#include <map>
#include <set>
#include <vector>

#include <nlohmann/json.hpp>

namespace fixvar::backend::detail {
namespace {

using json = nlohmann::json;

/// Cells that hold state: registers of any kind, latches, memories.
bool holds_state(const std::string& type) {
    for (const char* kind : {"dff", "DFF", "latch", "LATCH", "$mem", "$sr", "$_SR_", "$ff", "$_FF_"})
        if (type.find(kind) != std::string::npos) return true;
    return false;
}

class StageCounter {
public:
    explicit StageCounter(const json& module) {
        for (auto& [name, cell] : module.at("cells").items()) {
            std::size_t c = cells_.size();
            cells_.push_back(&cell);
            for (auto& [port, dir] : cell.at("port_directions").items()) {
                if (dir != "output") continue;
                const json& bits = cell.at("connections").at(port);
                for (std::size_t k = 0; k < bits.size(); ++k)
                    if (bits[k].is_number()) driver_[bits[k].get<long>()] = {c, k};
            }
        }
        for (auto& [name, port] : module.at("ports").items())
            for (auto& b : port.at("bits"))
                if (b.is_number())
                    port.at("direction") == "input" ? (void)inputs_.insert(b.get<long>())
                                                    : outputs_.push_back(b.get<long>());
        cell_depth_.assign(cells_.size(), kOpen);
    }

    Stages count() {
        Stages st;
        for (const json* cell : cells_)
            if (holds_state(cell->at("type")))
                st.state_bits +=
                    long(cell->at("connections").contains("Q") ? cell->at("connections").at("Q").size() : 1);
        try {
            for (long o : outputs_) {
                int d = bit_depth(o);
                if (d == kConst) continue;
                if (st.latency >= 0 && d != st.latency)
                    throw std::runtime_error("outputs that leave after different numbers of cycles");
                st.latency = d;
            }
            if (st.latency < 0) st.latency = 0;
        } catch (const std::runtime_error& e) {
            st.problem = e.what();
            st.latency = -1;
        }
        return st;
    }

private:
    static constexpr int kConst = -1, kOpen = -2, kBusy = -3;

    int bit_depth(const json& b) { return b.is_number() ? bit_depth(b.get<long>()) : kConst; }

    int bit_depth(long bit) {
        if (inputs_.count(bit)) return 0;
        auto it = driver_.find(bit);
        if (it == driver_.end()) return kConst;  // undriven: no path from an input
        auto [c, k] = it->second;
        const std::string& type = cells_[c]->at("type").get_ref<const std::string&>();
        if (type == "$dff") return register_depth(c, k, bit);
        if (holds_state(type))
            throw std::runtime_error("a register of type " + type + " (only plain clocked $dff are understood)");
        return cell_depth(c);
    }

    /// Bit k of register c: its D bit's count plus one (a register of a constant holds a constant).
    int register_depth(std::size_t c, std::size_t k, long q) {
        const json& conn = cells_[c]->at("connections");
        check_clock(*cells_[c]);
        auto [it, fresh] = register_depth_.try_emplace(q, kBusy);
        if (!fresh) {
            if (it->second == kBusy) throw std::runtime_error("a register loop");
            return it->second;
        }
        int d = bit_depth(conn.at("D").at(k));
        return register_depth_[q] = d == kConst ? kConst : d + 1;
    }

    /// Every register must take the same clock input on the same edge, or a "stage" means nothing.
    void check_clock(const json& cell) {
        const json& clk = cell.at("connections").at("CLK").at(0);
        std::string polarity = cell.at("parameters").value("CLK_POLARITY", std::string("1"));
        bool rising = polarity.find('1') != std::string::npos;
        bool is_input = clk.is_number() && inputs_.count(clk.get<long>());
        if (!is_input) throw std::runtime_error("a register clocked by something other than an input port");
        if (clock_ < 0) clock_ = clk.get<long>(), rising_ = rising;
        if (clk.get<long>() != clock_ || rising != rising_)
            throw std::runtime_error("registers on different clocks or clock edges");
    }

    int cell_depth(std::size_t c) {
        if (cell_depth_[c] == kBusy) throw std::runtime_error("a combinational loop");
        if (cell_depth_[c] != kOpen) return cell_depth_[c];
        cell_depth_[c] = kBusy;
        int d = kConst;
        const json& cell = *cells_[c];
        for (auto& [port, dir] : cell.at("port_directions").items()) {
            if (dir != "input") continue;
            for (auto& b : cell.at("connections").at(port)) {
                int x = bit_depth(b);
                if (x == kConst) continue;
                if (d != kConst && x != d) throw std::runtime_error("paths that cross different numbers of registers");
                d = x;
            }
        }
        return cell_depth_[c] = d;
    }

    std::vector<const json*> cells_;
    std::map<long, std::pair<std::size_t, std::size_t>> driver_;  // bit -> (cell, bit index in its port)
    std::set<long> inputs_;
    std::vector<long> outputs_;
    std::vector<int> cell_depth_;
    std::map<long, int> register_depth_;
    long clock_ = -1;
    bool rising_ = true;
};

}  // namespace

Stages register_stages(const std::filesystem::path& netlist_json, const std::string& module) {
    json netlist = json::parse(read_file(netlist_json, "equiv"));
    return StageCounter(netlist.at("modules").at(module)).count();
}

}  // namespace fixvar::backend::detail
