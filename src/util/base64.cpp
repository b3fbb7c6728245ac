#include "util/base64.hpp"

#include <array>
#include <cstddef>
#include <cstdint>

namespace resumate::util {
namespace {

constexpr std::string_view kStandardAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kUrlAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

constexpr std::uint8_t kInvalid = 0xFF;

using DecodeTable = std::array<std::uint8_t, 256>;

constexpr DecodeTable make_decode_table(std::string_view alphabet) {
    DecodeTable table{};
    for (auto& entry : table) entry = kInvalid;
    for (std::size_t i = 0; i < alphabet.size(); ++i) {
        table[static_cast<unsigned char>(alphabet[i])] = static_cast<std::uint8_t>(i);
    }
    return table;
}

constexpr DecodeTable kStandardTable = make_decode_table(kStandardAlphabet);
constexpr DecodeTable kUrlTable = make_decode_table(kUrlAlphabet);

std::string encode(std::string_view bytes, std::string_view alphabet, bool pad) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    auto byte = [&](std::size_t at) {
        return static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at]));
    };
    for (; i + 3 <= bytes.size(); i += 3) {
        const std::uint32_t n = byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2);
        out += alphabet[n >> 18 & 63];
        out += alphabet[n >> 12 & 63];
        out += alphabet[n >> 6 & 63];
        out += alphabet[n & 63];
    }
    const std::size_t rest = bytes.size() - i;
    if (rest == 1) {
        const std::uint32_t n = byte(i) << 16;
        out += alphabet[n >> 18 & 63];
        out += alphabet[n >> 12 & 63];
        if (pad) out += "==";
    } else if (rest == 2) {
        const std::uint32_t n = byte(i) << 16 | byte(i + 1) << 8;
        out += alphabet[n >> 18 & 63];
        out += alphabet[n >> 12 & 63];
        out += alphabet[n >> 6 & 63];
        if (pad) out += '=';
    }
    return out;
}

// Decodes unpadded data characters. A trailing group of 1 character cannot carry a whole byte,
// so it is an error (Python raises for it too); groups of 2 or 3 carry 1 or 2 bytes.
std::optional<std::string> decode_unpadded(std::string_view text, const DecodeTable& table) {
    if (text.size() % 4 == 1) return std::nullopt;
    std::string out;
    out.reserve(text.size() / 4 * 3 + 2);
    std::uint32_t bits = 0;
    int bit_count = 0;
    for (char c : text) {
        const std::uint8_t v = table[static_cast<unsigned char>(c)];
        if (v == kInvalid) return std::nullopt;
        bits = (bits << 6 | v) & 0xFFFFFF;
        bit_count += 6;
        if (bit_count >= 8) {
            bit_count -= 8;
            out += static_cast<char>(bits >> bit_count & 0xFF);
        }
    }
    return out;
}

// Strips '=' padding, which is only valid when it completes the last 4-character group with 1 or
// 2 characters. Returns false for any other use of '='.
bool strip_padding(std::string_view& text) {
    std::size_t pad = 0;
    while (pad < text.size() && text[text.size() - 1 - pad] == '=') ++pad;
    if (pad == 0) return true;
    if (pad > 2 || (text.size() - pad) % 4 + pad != 4) return false;
    text.remove_suffix(pad);
    return true;
}

}  // namespace

std::string base64url_encode(std::string_view bytes) {
    return encode(bytes, kUrlAlphabet, /*pad=*/false);
}

std::optional<std::string> base64url_decode(std::string_view text) {
    // Padding is optional here, but when present it must be correct.
    if (!strip_padding(text)) return std::nullopt;
    return decode_unpadded(text, kUrlTable);
}

std::string base64_encode(std::string_view bytes) {
    return encode(bytes, kStandardAlphabet, /*pad=*/true);
}

std::optional<std::string> base64_decode(std::string_view text) {
    if (text.size() % 4 != 0 || !strip_padding(text)) return std::nullopt;
    return decode_unpadded(text, kStandardTable);
}

}  // namespace resumate::util
