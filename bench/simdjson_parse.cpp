// simdjson_parse.cpp — reference probe for bench/run.sh: parse a JSON file into simdjson's DOM
// and print the wall time. Kept in bench/ only; not part of gongdan.
// Build: g++ -O3 -o simdjson_parse simdjson_parse.cpp $(pkg-config --cflags --libs simdjson)
#include <chrono>
#include <cstdio>
#include <simdjson.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: simdjson_parse FILE\n");
        return 2;
    }
    auto t0 = std::chrono::steady_clock::now();
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    auto err = parser.load(argv[1]).get(doc);
    auto t1 = std::chrono::steady_clock::now();
    if (err) {
        std::fprintf(stderr, "simdjson: %s\n", simdjson::error_message(err));
        return 1;
    }
    simdjson::dom::array res;
    size_t n = 0;
    if (!doc["resources"].get(res))
        for (auto r : res) (void)r, n++;
    std::printf("%.3f s, %zu resource blocks\n", std::chrono::duration<double>(t1 - t0).count(), n);
    return 0;
}
