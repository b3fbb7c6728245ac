#include <boost/json.hpp>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>

#include "http/errors.hpp"
#include "http/fields.hpp"
#include "users/api_key_store.hpp"
#include "users/auth_routes.hpp"
#include "users/field_validators.hpp"
#include "users/login_guard.hpp"
#include "users/token_blacklist_store.hpp"
#include "users/user_service.hpp"
#include "util/strings.hpp"
#include "util/worker_pool.hpp"

namespace resumate::users {
namespace {

namespace json = boost::json;
using http::Request;
using http::Response;

http::Error token_invalid(std::string message) {
    return http::Error::unauthorized(std::move(message), "token_not_valid");
}

constexpr std::string_view kBlacklisted = "Token is blacklisted";

// The "exp" claim of a validated token as epoch seconds for expires_at, kept within what a
// timestamp column holds (year 9999).
int64_t expiry_of(const json::object& claims) {
    constexpr int64_t kMax = 253402300799;  // 9999-12-31T23:59:59Z
    const json::value& exp = claims.at("exp");
    if (exp.is_int64()) return std::clamp<int64_t>(exp.get_int64(), 0, kMax);
    if (exp.is_uint64()) return kMax;
    if (exp.is_double() && std::isfinite(exp.get_double())) {
        return static_cast<int64_t>(std::clamp(exp.get_double(), 0.0, static_cast<double>(kMax)));
    }
    return kMax;
}

// RefreshToken(token) with the blacklist app installed: a valid refresh token, not blacklisted.
// The session must be on the primary: a replica may not have seen a logout yet.
http::Task<ValidToken> valid_refresh_token(db::Database& db, const std::string& raw,
                                           const AuthSettings& settings, int64_t now) {
    auto result = validate_token(raw, TokenType::Refresh, settings.tokens, now);
    if (auto* err = std::get_if<TokenError>(&result)) throw token_invalid(err->message);
    auto& token = std::get<ValidToken>(result);
    if (co_await TokenBlacklistStore(db).is_blacklisted(jti_of(token.claims)))
        throw token_invalid(std::string(kBlacklisted));
    co_return std::move(token);
}

struct Authenticated {
    std::optional<User> user;
    bool busy = false;  // the hashing gate is full: nothing was checked
};

// Django's ModelBackend.authenticate + user_can_authenticate; the hash work runs on the CPU pool
// through the hashing gate.
http::Task<Authenticated> authenticate_credentials(UserStore& store, const AuthSettings& s,
                                                   util::CpuGate& gate, const std::string& username,
                                                   const std::string& password) {
    auto user = co_await store.find_by_username(username);
    if (!user) {
        // Same cost as a real check so response time does not tell whether the user exists.
        auto done = co_await gate.run([&] {
            run_dummy_check(password, s.argon2);
            return true;
        });
        co_return Authenticated{.user = std::nullopt, .busy = !done};
    }
    auto check =
        co_await gate.run([&] { return check_password(password, user->password, s.argon2); });
    if (!check) co_return Authenticated{.user = std::nullopt, .busy = true};
    if (!check->ok || !user->is_active) co_return Authenticated{};
    if (check->needs_rehash) {
        // Django upgrades old hashes (pbkdf2, weaker argon2) at the next successful login; with
        // the gate full, at a later one.
        auto upgraded = co_await gate.run([&] { return make_password(password, s.argon2); });
        if (upgraded) {
            co_await store.set_password_hash(user->id, *upgraded);
            user->password = std::move(*upgraded);  // the tokens name the hash now stored
        }
    }
    co_return Authenticated{.user = std::move(user)};
}

// The answer when the hashing gate is full: quick, and cheap to retry a second later.
http::Error hashing_busy() {
    return http::Error::unavailable();
}

http::Task<void> wait_until(std::chrono::steady_clock::time_point when) {
    if (std::chrono::steady_clock::now() >= when) co_return;
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, when);
    co_await timer.async_wait(boost::asio::use_awaitable);
}

// How long every failed login takes at least, from the user lookup on: the slowest hash
// verification we expect (a Django pbkdf2 hash) with a margin for noise, so a failure answers
// in the same time whether the user is unknown, on Argon2id or on a legacy hash. Measured on
// the first failed login, on the CPU pool.
http::Task<std::chrono::nanoseconds> failure_floor(std::atomic<int64_t>& cached,
                                                   const AuthSettings& s, util::WorkerPool& pool) {
    if (int64_t ns = cached.load(); ns > 0) co_return std::chrono::nanoseconds(ns);
    auto slowest = co_await util::on_cpu_pool(pool, [&] { return slowest_check_time(s.argon2); });
    const int64_t ns = slowest.count() * 3 / 2;
    cached.store(ns);
    co_return std::chrono::nanoseconds(ns);
}

}  // namespace

http::Task<std::optional<http::Principal>> RequestAuthenticator::authenticate(const Request& req) {
    auto header = req.header("Authorization");
    if (!header) co_return std::nullopt;
    // DRF splits on any whitespace.
    std::vector<std::string_view> parts;
    std::string_view h = *header;
    size_t i = 0;
    while (i < h.size()) {
        while (i < h.size() && (h[i] == ' ' || h[i] == '\t')) ++i;
        size_t j = i;
        while (j < h.size() && h[j] != ' ' && h[j] != '\t') ++j;
        if (j > i) parts.push_back(h.substr(i, j - i));
        i = j;
    }
    if (parts.empty() || (parts[0] != "Bearer" && parts[0] != "Api-Key")) co_return std::nullopt;
    if (parts.size() != 2) {
        throw http::Error::unauthorized(
            "Authorization header must contain two space-delimited values",
            "bad_authorization_header");
    }
    if (parts[0] == "Api-Key") co_return co_await with_api_key(parts[1]);
    co_return co_await with_token(parts[1]);
}

http::Task<http::Principal> RequestAuthenticator::with_token(std::string_view raw) {
    auto result = validate_token(raw, TokenType::Access, settings_.tokens, util::now_seconds());
    auto invalid = [](std::string_view message) {
        json::object detail{
            {"token_class", "AccessToken"}, {"token_type", "access"}, {"message", message}};
        return http::Error::unauthorized("Given token not valid for any token type",
                                         "token_not_valid", json::array{detail});
    };
    if (auto* err = std::get_if<TokenError>(&result)) throw invalid(err->message);
    auto& token = std::get<ValidToken>(result);
    auto user_id = user_id_of(token.claims);
    if (!user_id) throw token_invalid("Token contained no recognizable user identification");
    db::Session session(db_);  // a read: a replica may answer
    auto user = co_await UserStore(session).find(*user_id);
    // Whether the token names the password the user has (one HMAC per request).
    bool current = user && password_unchanged(token.claims, user->password, settings_.tokens);
    if (!current) {
        // A replica may not have the user yet (replication lag right after registration), or
        // not the new password (right after a change): only the primary can say.
        session.pin_to_primary();
        user = co_await UserStore(session).find(*user_id);
        current = user && password_unchanged(token.claims, user->password, settings_.tokens);
    }
    if (!user) {
        throw http::Error::unauthorized("User not found", "user_not_found");
    }
    if (!user->is_active) {
        throw http::Error::unauthorized("User is inactive", "user_inactive");
    }
    // Issued under a password the user has changed since.
    if (!current) throw invalid("Token is invalid or expired");
    co_return http::Principal{user->id, user->username, user->is_staff, user->is_superuser};
}

http::Task<http::Principal> RequestAuthenticator::with_api_key(std::string_view presented) {
    auto hash = api_key_hash(presented);
    std::optional<ApiKeyOwner> found;
    ApiKeyStore keys(db_);
    if (hash) found = co_await keys.find_by_hash(*hash);
    if (!found) throw http::Error::unauthorized("Invalid API key.", "api_key_invalid");
    const util::Timestamp now = util::now();
    if (found->key.expires_at && *found->key.expires_at <= now)
        throw http::Error::unauthorized("API key has expired.", "api_key_expired");
    if (!found->is_active) throw http::Error::unauthorized("User is inactive", "user_inactive");
    if (const auto& last = found->key.last_used_at;
        !last || now.micros - last->micros >= 60'000'000)
        co_await keys.touch(found->key.id, now);
    http::Principal who{found->key.user_id, found->username};
    who.credential = http::Principal::Credential::ApiKey;
    who.read_only = !found->key.can_write;
    co_return who;
}

std::vector<http::RouteDef> AuthRoutes::routes() {
    using http::Access;
    using http::Method;
    using http::on;
    std::vector<http::RouteDef> table{
        {"/api/auth/register/",
         "Register",
         Access::Anyone,
         http::ThrottleScope{"register"},
         {on(Method::Post, this, &AuthRoutes::register_user,
             {.summary = "Create an account",
              .request = "RegisterRequest",
              .response = "RegisterResponse",
              .status = 201})}},
        {"/api/auth/token/",
         "Token Obtain Pair",
         Access::Open,
         http::ThrottleScope{"login"},
         {on(Method::Post, this, &AuthRoutes::obtain_token,
             {.summary = "Log in: an access and a refresh token for a username and password",
              .request = "TokenObtainRequest",
              .response = "TokenPair",
              .errors = {401}})},
         false,
         "Takes a set of user credentials and returns an access and refresh JSON web\n"
         "token pair to prove the authentication of those credentials."},
        {"/api/auth/token/refresh/",
         "Token Refresh",
         Access::Open,
         http::kNoScope,
         {on(Method::Post, this, &AuthRoutes::refresh_token,
             {.summary = "A new access token (and refresh token, when rotation is on)",
              .request = "TokenRefreshRequest",
              .response = "TokenRefreshResponse",
              .errors = {401}})},
         false,
         "Takes a refresh type JSON web token and returns an access type JSON web\n"
         "token if the refresh token is valid."},
        {"/api/auth/token/verify/",
         "Token Verify",
         Access::Open,
         http::kNoScope,
         {on(Method::Post, this, &AuthRoutes::verify_token,
             {.summary = "Check that a token is valid",
              .request = "TokenVerifyRequest",
              .response = "Empty",
              .errors = {401}})},
         false,
         "Takes a token and indicates if it is valid.  This view provides no\n"
         "information about a token's fitness for a particular use."},
        {"/api/auth/token/blacklist/",
         "Token Blacklist",
         Access::Open,
         http::kNoScope,
         {on(Method::Post, this, &AuthRoutes::blacklist_token,
             {.summary = "Log out: refuse this refresh token from now on",
              .request = "TokenBlacklistRequest",
              .response = "Empty",
              .errors = {401}})},
         false,
         "Takes a token and blacklists it. Must be used with the\n"
         "`rest_framework_simplejwt.token_blacklist` app installed."},
    };
    for (auto& route : account_routes()) table.push_back(std::move(route));
    return table;
}

std::vector<http::SchemaDef> AuthRoutes::schemas() {
    std::vector<http::SchemaDef> out{
        {"RegisterRequest", R"json({
          "type": "object",
          "properties": {
            "username": {"type": "string", "maxLength": 150,
                         "description": "Letters, digits and @/./+/-/_ only"},
            "email": {"type": "string", "description": "A valid address, or blank"},
            "password": {"type": "string", "format": "password", "minLength": 8,
                         "description": "Django's validators: length, common, numeric, similarity"},
            "password2": {"type": "string", "format": "password"}
          },
          "required": ["username", "email", "password", "password2"]})json"},
        {"RegisterResponse", R"json({
          "type": "object",
          "properties": {"username": {"type": "string"}, "email": {"type": "string"}},
          "required": ["username", "email"]})json"},
        {"TokenObtainRequest", R"json({
          "type": "object",
          "properties": {"username": {"type": "string"},
                         "password": {"type": "string", "format": "password"}},
          "required": ["username", "password"]})json"},
        {"TokenPair", R"json({
          "type": "object",
          "properties": {"refresh": {"type": "string", "description": "JWT, 1 day"},
                         "access": {"type": "string", "description": "JWT, 5 minutes"}},
          "required": ["refresh", "access"]})json"},
        {"TokenRefreshRequest", R"json({
          "type": "object", "properties": {"refresh": {"type": "string"}},
          "required": ["refresh"]})json"},
        {"TokenRefreshResponse", R"json({
          "type": "object",
          "properties": {"access": {"type": "string"},
                         "refresh": {"type": "string", "description": "When rotation is on"}},
          "required": ["access"]})json"},
        {"TokenVerifyRequest", R"json({
          "type": "object", "properties": {"token": {"type": "string"}},
          "required": ["token"]})json"},
        {"TokenBlacklistRequest", R"json({
          "type": "object", "properties": {"refresh": {"type": "string"}},
          "required": ["refresh"]})json"},
        {"Empty", R"json({"type": "object", "additionalProperties": false})json"},
    };
    for (auto& schema : account_schemas()) out.push_back(schema);
    return out;
}

AuthRoutes::AuthRoutes(const AuthSettings& settings, util::WorkerPool& cpu_pool,
                       std::shared_ptr<const CommonPasswordList> common_passwords,
                       std::shared_ptr<LoginGuard> guard, std::vector<UserData> user_data)
    : settings_(settings),
      cpu_pool_(cpu_pool),
      common_passwords_(std::move(common_passwords)),
      guard_(std::move(guard)),
      user_data_(std::move(user_data)),
      gate_(std::make_unique<util::CpuGate>(cpu_pool, settings.max_hashing)) {}

AuthRoutes::~AuthRoutes() = default;

http::Task<Response> AuthRoutes::register_user(http::Context& ctx) {
    auto data = http::parse_object_data(ctx.request);
    http::ValidationErrors errors;
    UserStore store(ctx.db());
    // DRF runs every validator of a field and reports all their messages, in order.
    auto username = http::char_field(data, "username", {}, errors);
    // Django's create_user stores the NFKC form; the validators see the name as sent.
    std::string normalized;
    if (username && *username) {
        const std::string& name = **username;
        normalized = normalize_username(name);
        for (auto& msg : username_problems(name)) errors.add("username", msg);
        bool taken = (co_await store.find_by_username(normalized)).has_value();
        if (taken) errors.add("username", kUsernameTaken);
    }
    auto password = http::char_field(data, "password", {}, errors);
    if (password && *password) {
        // Django's validators (field-level, so they come in the field's place in the error
        // dict); similarity compares with the username and email as sent.
        std::string raw_username = username && *username ? **username : std::string();
        std::string raw_email;
        if (auto* v = data.value.as_object().if_contains("email"); v && v->is_string()) {
            raw_email = std::string(util::trim(std::string_view(v->as_string())));
        }
        for (auto& msg :
             validate_password(**password, raw_username, raw_email, *common_passwords_)) {
            errors.add("password", msg);
        }
    }
    auto password2 = http::char_field(data, "password2", {}, errors);
    auto email = http::char_field(data, "email", {.allow_blank = true}, errors);
    if (email && *email && !(*email)->empty()) {
        for (auto& msg : email_problems(**email)) errors.add("email", msg);
    }
    errors.raise_if_any();
    if (**password != **password2)
        http::throw_validation("password", "Password fields didn't match.");
    auto hash = co_await gate_->run([&] { return make_password(**password, settings_.argon2); });
    if (!hash) throw hashing_busy();
    try {
        NewUser user{normalized, **email, *hash};
        co_await store.create(user);
    } catch (const db::UniqueViolation&) {
        // Lost a race with a concurrent registration of the same name.
        http::throw_validation("username", kUsernameTaken);
    }
    co_return Response::json(201, json::object{{"username", normalized}, {"email", **email}});
}

http::Task<Response> AuthRoutes::obtain_token(http::Context& ctx) {
    auto data = http::parse_object_data(ctx.request);
    http::ValidationErrors errors;
    auto username = http::char_field(data, "username", {}, errors);
    auto password = http::char_field(data, "password", {}, errors);
    errors.raise_if_any();
    // The name as registration stored it: "ｒｏｏｔ１" is the user "root1".
    **username = normalize_username(**username);
    if (guard_) {
        // Before the password is looked at: the same answer, as fast, for every username.
        auto verdict = co_await guard_->check(**username, ctx.client_ip());
        if (auto wait = verdict.retry_after) throw http::Error::throttled(*wait);
        // Many failures for this username from several addresses: slow down, not lock.
        if (verdict.delay.count() > 0)
            co_await wait_until(std::chrono::steady_clock::now() + verdict.delay);
    }
    const auto started = std::chrono::steady_clock::now();
    // The primary: a just-registered user must be found, and the hash may be upgraded.
    ctx.db().pin_to_primary();
    UserStore store(ctx.db());
    auto outcome =
        co_await authenticate_credentials(store, settings_, *gate_, **username, **password);
    if (outcome.busy) throw hashing_busy();
    auto& user = outcome.user;
    if (guard_) {
        if (user) {
            co_await guard_->succeeded(**username, ctx.client_ip());
        } else {
            co_await guard_->failed(**username, ctx.client_ip());
        }
    }
    if (!user) {
        // The same time for every way of failing (unknown user, Argon2id or legacy hash,
        // inactive account); waited on a timer, not on a thread.
        co_await wait_until(started + co_await failure_floor(floor_ns_, settings_, cpu_pool_));
        throw http::Error::unauthorized("No active account found with the given credentials");
    }
    int64_t now = util::now_seconds();
    auto refresh = mint_token(TokenType::Refresh, user->id, settings_.tokens, now);
    auto access = mint_token(TokenType::Access, user->id, settings_.tokens, now,
                             password_fingerprint(user->password, settings_.tokens));
    TokenBlacklistStore tokens(ctx.db());
    co_await tokens.record_outstanding(user->id, refresh.jti, refresh.token, refresh.exp);
    co_return Response::json(200,
                             json::object{{"refresh", refresh.token}, {"access", access.token}});
}

http::Task<Response> AuthRoutes::refresh_token(http::Context& ctx) {
    db::Session& session = ctx.db();
    session.pin_to_primary();  // the blacklist and the user as they are now
    auto data = http::parse_object_data(ctx.request);
    http::ValidationErrors errors;
    auto raw = http::char_field(data, "refresh", {}, errors);
    errors.raise_if_any();
    int64_t now = util::now_seconds();
    ValidToken token = co_await valid_refresh_token(session, **raw, settings_, now);
    // Beyond the original: no new access tokens for deleted or deactivated users.
    auto user_id = user_id_of(token.claims);
    std::optional<User> user;
    if (user_id) user = co_await UserStore(session).find(*user_id);
    if (!user || !user->is_active) {
        throw http::Error::unauthorized("No active account found for the given token.",
                                        "no_active_account");
    }
    auto access = access_from_refresh(token, settings_.tokens, now,
                                      password_fingerprint(user->password, settings_.tokens));
    json::object out{{"access", access.token}};
    if (settings_.tokens.rotate_refresh_tokens) {
        TokenBlacklistStore store(session);
        // BLACKLIST_AFTER_ROTATION. Beyond simplejwt: of two concurrent refreshes with the same
        // token only one gets a new refresh token.
        if (!co_await store.blacklist(jti_of(token.claims), **raw, expiry_of(token.claims))) {
            throw token_invalid(std::string(kBlacklisted));
        }
        auto rotated = rotate_refresh(token, settings_.tokens, now);
        co_await store.record_outstanding(user->id, rotated.jti, rotated.token, rotated.exp);
        out["refresh"] = rotated.token;
    }
    co_return Response::json(200, std::move(out));
}

http::Task<Response> AuthRoutes::verify_token(http::Context& ctx) {
    auto data = http::parse_object_data(ctx.request);
    http::ValidationErrors errors;
    auto raw = http::char_field(data, "token", {}, errors);
    errors.raise_if_any();
    int64_t now = util::now_seconds();
    // simplejwt's UntypedToken: any token type is fine.
    auto result = validate_token(**raw, TokenType::Access, settings_.tokens, now);
    if (auto* err = std::get_if<TokenError>(&result);
        err && err->message == "Token has wrong type") {
        result = validate_token(**raw, TokenType::Refresh, settings_.tokens, now);
    }
    if (auto* err = std::get_if<TokenError>(&result)) throw token_invalid(err->message);
    // simplejwt (only with BLACKLIST_AFTER_ROTATION) answers 400 {"non_field_errors":
    // ["Token is blacklisted"]}; we always check, and answer the 401 token body as for every
    // other bad token.
    ctx.db().pin_to_primary();
    const auto& claims = std::get<ValidToken>(result).claims;
    TokenBlacklistStore tokens(ctx.db());
    const bool blacklisted = co_await tokens.is_blacklisted(jti_of(claims));
    if (blacklisted) throw token_invalid(std::string(kBlacklisted));
    co_return Response::json(200, json::object{});
}

http::Task<Response> AuthRoutes::blacklist_token(http::Context& ctx) {
    db::Session& session = ctx.db();
    session.pin_to_primary();
    auto data = http::parse_object_data(ctx.request);
    http::ValidationErrors errors;
    auto raw = http::char_field(data, "refresh", {}, errors);
    errors.raise_if_any();
    ValidToken token = co_await valid_refresh_token(session, **raw, settings_, util::now_seconds());
    // A concurrent logout with the same token may win: the token is blacklisted either way.
    co_await TokenBlacklistStore(session).blacklist(jti_of(token.claims), **raw,
                                                    expiry_of(token.claims));
    co_return Response::json(200, json::object{});
}

}  // namespace resumate::users
