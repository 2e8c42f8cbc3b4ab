// bench_cmvm DIR PEER.tsv [cost|adders] [threads] [time_budget] [algorithm]
// Solves every *.cmvm in DIR and prints, per problem and in total, fixvar's adders / cost /
// depth / seconds next to the better published peer (da4ml, da4ml bit mode, alkaid — the
// best per measure), the naive baseline (no sharing) and the lower bound (lower_bound.cpp).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <fixvar/cmvm/problem.hpp>
#include <fixvar/cmvm/solve.hpp>
#include <fixvar/core/error.hpp>

using namespace fixvar::cmvm;

struct Peer {
    long long adders = 0, cost = 0;
    int depth = 0;
    double seconds = 0;
};

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: bench_cmvm DIR PEER.tsv [cost|adders] [threads] [time_budget] [algorithm]\n");
        return 2;
    }
    Options opt;
    if (argc > 3) opt.objective = parse_objective(argv[3]);
    if (argc > 4) opt.threads = std::atoi(argv[4]);
    if (argc > 5) opt.time_budget = std::atof(argv[5]);
    if (argc > 6) opt.algorithm = parse_algorithm(argv[6]);
    if (argc > 7 && std::atoi(argv[7]) > 0) opt.max_depth = std::atoi(argv[7]);
    std::map<std::string, Peer> peers;
    {
        std::ifstream in(argv[2]);
        std::string line;
        std::getline(in, line);
        while (std::getline(in, line)) {
            std::vector<std::string> f;
            std::stringstream ss(line);
            for (std::string x; std::getline(ss, x, '\t');) f.push_back(x);
            if (f.size() < 14 || f[0] == "TOTAL") continue;
            Peer p;
            // columns: da4ml (3-6), da4ml_bit (7-9), alkaid (10-13); best per measure
            p.adders = std::min({std::stoll(f[3]), std::stoll(f[7]), std::stoll(f[10])});
            p.cost = std::min({std::stoll(f[4]), std::stoll(f[8]), std::stoll(f[11])});
            p.depth = std::min({std::stoi(f[5]), std::stoi(f[9]), std::stoi(f[12])});
            p.seconds = std::min(std::stod(f[6]), std::stod(f[13]));
            peers[f[0]] = p;
        }
    }
    namespace fs = std::filesystem;
    std::vector<std::string> files;
    for (const auto& e : fs::directory_iterator(argv[1]))
        if (e.path().extension() == ".cmvm") files.push_back(e.path().string());
    std::sort(files.begin(), files.end());
    std::printf("%-26s %6s %7s %6s %7s %7s %5s %4s %7s %7s | %7s %6s %6s\n", "name", "adders", "cost", "peerA",
                "peerC", "ratio", "depth", "pD", "sec", "peerS", "naiveC", "lbC", "lbA");
    long long A = 0, C = 0, PA = 0, PC = 0, NC = 0, NA = 0, LC = 0, LA = 0;
    int D = 0, PD = 0;
    double S = 0, PS = 0;
    for (const auto& f : files) {
        Problem p = read_problem(f);
        Solution s = solve(p, opt);
        Options nopt;
        nopt.algorithm = Algorithm::naive;
        Solution nv = solve(p, nopt);
        LowerBound lb = lower_bound(p);
        Peer pr = peers.count(p.name) ? peers[p.name] : Peer{};
        double ratio = opt.objective == Objective::cost ? double(s.cost) / std::max(1LL, pr.cost)
                                                         : double(s.adder_count()) / std::max(1LL, pr.adders);
        std::printf("%-26s %6d %7lld %6lld %7lld %7.3f %5d %4d %7.3f %7.3f | %7lld %6lld %6d%s\n", p.name.c_str(),
                    s.adder_count(), (long long)s.cost, pr.adders, pr.cost, ratio, s.depth, pr.depth, s.seconds,
                    pr.seconds, (long long)nv.cost, (long long)lb.cost, lb.adders, ratio > 1.02 ? "  <-- >2% worse" : "");
        A += s.adder_count(), C += s.cost, D += s.depth, S += s.seconds;
        PA += pr.adders, PC += pr.cost, PD += pr.depth, PS += pr.seconds;
        NC += nv.cost, NA += nv.adder_count(), LC += lb.cost, LA += lb.adders;
    }
    std::printf("TOTAL adders %lld (peer best-per-problem %lld, ratio %.3f)  cost %lld (peer %lld, ratio %.3f)\n", A,
                PA, double(A) / PA, C, PC, double(C) / PC);
    std::printf("TOTAL depth %d (peer best-per-problem %d)  seconds %.2f (faster peer %.2f)\n", D, PD, S, PS);
    std::printf("naive: adders %lld cost %lld; lower bound: adders %lld cost %lld\n", NA, NC, LA, LC);
    return 0;
}
