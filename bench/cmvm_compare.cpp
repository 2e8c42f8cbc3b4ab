// bench_cmvm [DIR] [PEER.tsv] [--objective cost|adders] [--threads N] [--seed S] [--time-budget SEC]
//            [--algorithm A] [--max-depth D]      (defaults: bench/data/cmvm, bench/data/cmvm-peer.tsv)
// `fixvar bench cmvm` (cmvm::run_benchmark) with, per problem and in total, the better published
// peer (da4ml, da4ml bit mode, alkaid — the best per measure), the naive baseline (no sharing)
// and the lower bound next to fixvar's adders / cost / depth / seconds.
#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include <fmt/format.h>

#include <fixvar/cmvm/benchmark.hpp>
#include <fixvar/core/error.hpp>

#include "cmvm_options.hpp"

using namespace fixvar::cmvm;

namespace {

struct Peer {
    long long adders = 0, cost = 0;
    int depth = 0;
    double seconds = 0;
};

/// bench/data/cmvm-peer.tsv: one row per problem, the best of the three optimizers per measure.
std::map<std::string, Peer> read_peers(const std::string& path) {
    std::ifstream in(path);
    if (!in) fixvar::fail("bench_cmvm", "{}: cannot open the peer results (bench/data/cmvm-peer.tsv)", path);
    std::map<std::string, Peer> peers;
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
        std::vector<std::string> f;
        std::stringstream ss(line);
        for (std::string x; std::getline(ss, x, '\t');) f.push_back(x);
        if (f.size() < 14 || f[0] == "TOTAL") continue;
        Peer p;  // columns: da4ml (3-6), da4ml_bit (7-9), alkaid (10-13)
        p.adders = std::min({std::stoll(f[3]), std::stoll(f[7]), std::stoll(f[10])});
        p.cost = std::min({std::stoll(f[4]), std::stoll(f[8]), std::stoll(f[11])});
        p.depth = std::min({std::stoi(f[5]), std::stoi(f[9]), std::stoi(f[12])});
        p.seconds = std::min(std::stod(f[6]), std::stod(f[13]));
        peers[f[0]] = p;
    }
    return peers;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"CMVM optimizer vs the published peers, the naive baseline and the lower bound"};
    std::string dir = FIXVAR_SOURCE_DIR "/bench/data/cmvm", peer_file = FIXVAR_SOURCE_DIR "/bench/data/cmvm-peer.tsv";
    fixvar::cli::CmvmArgs args;
    app.add_option("DIR", dir, "directory of .cmvm problems (default: the public set)");
    app.add_option("PEER", peer_file, "the peers' results (default: bench/data/cmvm-peer.tsv)");
    fixvar::cli::add_cmvm_options(&app, args);
    CLI11_PARSE(app, argc, argv);
    try {
        const Options opt = fixvar::cli::to_options(args);
        std::map<std::string, Peer> peers = read_peers(peer_file);
        fmt::print("{:<26} {:>6} {:>7} {:>6} {:>7} {:>7} {:>5} {:>4} {:>7} {:>7} | {:>7} {:>6} {:>6}\n", "name",
                   "adders", "cost", "peerA", "peerC", "ratio", "depth", "pD", "sec", "peerS", "naiveC", "lbC", "lbA");
        Peer total_peer;
        long long naive_cost = 0, naive_adders = 0, lb_cost = 0, lb_adders = 0;
        int depth_sum = 0;
        Options naive_opt;
        naive_opt.algorithm = Algorithm::Naive;
        BenchmarkTotals t = run_benchmark(
            dir, opt,
            [&](const Problem& p, const Solution& s) {
                Solution nv = solve(p, naive_opt);
                LowerBound lb = lower_bound(p);
                Peer pr = peers.count(p.name) ? peers[p.name] : Peer{};
                double ratio = opt.objective == Objective::Cost
                                   ? double(s.cost) / double(std::max(1LL, pr.cost))
                                   : double(s.adder_count()) / double(std::max(1LL, pr.adders));
                fmt::print(
                    "{:<26} {:>6} {:>7} {:>6} {:>7} {:>7.3f} {:>5} {:>4} {:>7.3f} {:>7.3f} | {:>7} {:>6} {:>6}{}\n",
                    p.name, s.adder_count(), s.cost, pr.adders, pr.cost, ratio, s.depth, pr.depth, s.seconds,
                    pr.seconds, nv.cost, lb.cost, lb.adders, ratio > 1.02 ? "  <-- >2% worse" : "");
                depth_sum += s.depth;
                total_peer.adders += pr.adders, total_peer.cost += pr.cost, total_peer.depth += pr.depth,
                    total_peer.seconds += pr.seconds;
                naive_cost += nv.cost, naive_adders += nv.adder_count(), lb_cost += lb.cost, lb_adders += lb.adders;
            },
            [](const std::string&, const fixvar::Error& e) {
                fmt::print(stderr, "bench_cmvm: error: {}\n", e.what());
            });
        fmt::print("TOTAL adders {} (peer best-per-problem {}, ratio {:.3f})  cost {} (peer {}, ratio {:.3f})\n",
                   t.adders, total_peer.adders, double(t.adders) / double(total_peer.adders), t.cost, total_peer.cost,
                   double(t.cost) / double(total_peer.cost));
        fmt::print("TOTAL depth {} (peer best-per-problem {})  seconds {:.2f} (faster peer {:.2f})\n", depth_sum,
                   total_peer.depth, t.seconds, total_peer.seconds);
        fmt::print("naive: adders {} cost {}; lower bound: adders {} cost {}\n", naive_adders, naive_cost, lb_adders,
                   lb_cost);
        return t.errors == 0 && t.all_exact ? 0 : 1;
    } catch (const fixvar::Error& e) {
        fmt::print(stderr, "bench_cmvm: error: {}\n", e.what());
        return 2;
    }
}
