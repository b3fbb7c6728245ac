// The account's own routes, beyond the original: personal API keys, changing the password,
// deleting the account. Access::Account: only with the account's own token, never a key.
#include <boost/json.hpp>

#include <algorithm>

#include "http/errors.hpp"
#include "http/fields.hpp"
#include "users/account_store.hpp"
#include "users/api_key_store.hpp"
#include "users/auth_routes.hpp"
#include "users/user_store.hpp"
#include "util/strings.hpp"

namespace resumate::users {
namespace {

namespace json = boost::json;
using http::Response;

constexpr int64_t kMaxExpiryDays = 3650;

json::value optional_time(const std::optional<util::Timestamp>& t) {
    return t ? json::value(util::to_iso8601(*t)) : json::value(nullptr);
}

json::object api_key_json(const ApiKey& k) {
    json::array scopes{"read"};
    if (k.can_write) scopes.emplace_back("write");
    return json::object{{"id", k.id},
                        {"name", k.name},
                        {"scopes", std::move(scopes)},
                        {"prefix", k.prefix},
                        {"created_at", util::to_iso8601(k.created_at)},
                        {"expires_at", optional_time(k.expires_at)},
                        {"last_used_at", optional_time(k.last_used_at)}};
}

// "scopes": a list of "read" / "write" (a form sends one value, or several comma-separated),
// not empty, and "write" only with "read". Records DRF-style messages; nullopt when invalid.
std::optional<bool> scopes_field(const http::RequestData& data, http::ValidationErrors& errors) {
    const json::value* raw = data.value.as_object().if_contains("scopes");
    if (raw == nullptr) {
        errors.add("scopes", "This field is required.");
        return std::nullopt;
    }
    std::vector<std::string> items;
    if (raw->is_string() && data.from_form) {
        std::string_view text = raw->get_string();
        while (!text.empty()) {
            const size_t comma = std::min(text.find(','), text.size());
            items.emplace_back(util::trim(text.substr(0, comma)));
            text.remove_prefix(std::min(comma + 1, text.size()));
        }
    } else if (raw->is_array()) {
        for (const auto& item : raw->get_array()) {
            if (!item.is_string()) {
                errors.add("scopes", "Not a valid string.");
                return std::nullopt;
            }
            items.emplace_back(util::trim(std::string_view(item.get_string())));
        }
    } else if (raw->is_null()) {
        errors.add("scopes", "This field may not be null.");
        return std::nullopt;
    } else {
        const char* type = raw->is_string()   ? "str"
                           : raw->is_bool()   ? "bool"
                           : raw->is_object() ? "dict"
                           : raw->is_double() ? "float"
                                              : "int";
        errors.add("scopes",
                   std::string("Expected a list of items but got type \"") + type + "\".");
        return std::nullopt;
    }
    if (items.empty()) {
        errors.add("scopes", "This list may not be empty.");
        return std::nullopt;
    }
    bool read = false;
    bool write = false;
    for (const auto& item : items) {
        if (item == "read") {
            read = true;
        } else if (item == "write") {
            write = true;
        } else {
            errors.add("scopes", "\"" + item + "\" is not a valid choice.");
            return std::nullopt;
        }
    }
    if (write && !read) {
        errors.add("scopes", "The write scope needs the read scope.");
        return std::nullopt;
    }
    return write;
}

}  // namespace

std::vector<http::RouteDef> AuthRoutes::account_routes() {
    using http::Access;
    using http::Method;
    using http::on;
    return {
        {"/api/auth/api-keys/",
         "Api Key List",
         Access::Account,
         http::kNoScope,
         {on(Method::Get, this, &AuthRoutes::list_api_keys,
             {.summary = "The caller's API keys, newest first (never the keys themselves)",
              .response = "[ApiKey]"}),
          on(Method::Post, this, &AuthRoutes::create_api_key,
             {.summary = "Make an API key for an integration; the key is shown only here",
              .request = "ApiKeyRequest",
              .response = "NewApiKey",
              .status = 201})}},
        {"/api/auth/api-keys/{id}/",
         "Api Key Instance",
         Access::Account,
         http::kNoScope,
         {on(Method::Delete, this, &AuthRoutes::delete_api_key,
             {.summary = "Revoke an API key: it stops working at once", .status = 204})}},
        {"/api/auth/password/change/",
         "Password Change",
         Access::Account,
         http::ThrottleScope{"login"},
         {on(Method::Post, this, &AuthRoutes::change_password,
             {.summary = "Change the password; every session (refresh token) and access token "
                         "issued before ends",
              .request = "PasswordChangeRequest",
              .response = "Detail",
              .errors = {503}})}},
        {"/api/auth/account/",
         "Account",
         Access::Account,
         http::ThrottleScope{"login"},
         {on(Method::Delete, this, &AuthRoutes::delete_account,
             {.summary = "Delete the account and everything in it",
              .request = "AccountDeleteRequest",
              .response = "AccountDeleted",
              .errors = {503}})}},
    };
}

std::vector<http::SchemaDef> AuthRoutes::account_schemas() {
    return {
        {"ApiKeyRequest", R"json({
          "type": "object",
          "properties": {
            "name": {"type": "string", "maxLength": 100, "description": "What the key is for"},
            "scopes": {"type": "array", "minItems": 1,
                       "items": {"type": "string", "enum": ["read", "write"]},
                       "description": "[\"read\"], or [\"read\", \"write\"]"},
            "expires_in_days": {"type": ["integer", "null"], "minimum": 1, "maximum": 3650,
                                "description": "Absent or null: the key does not expire"}
          },
          "required": ["name", "scopes"]})json"},
        {"ApiKey", R"json({
          "type": "object",
          "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "scopes": {"type": "array", "items": {"type": "string", "enum": ["read", "write"]}},
            "prefix": {"type": "string", "description": "The key's first characters"},
            "created_at": {"type": "string", "format": "date-time"},
            "expires_at": {"type": ["string", "null"], "format": "date-time"},
            "last_used_at": {"type": ["string", "null"], "format": "date-time",
                             "description": "Updated at most once a minute"}
          },
          "required": ["id", "name", "scopes", "prefix", "created_at", "expires_at",
                       "last_used_at"]})json"},
        {"NewApiKey", R"json({
          "allOf": [{"$ref": "#/components/schemas/ApiKey"},
                    {"type": "object",
                     "properties": {"key": {"type": "string",
                                            "description": "rm_…: shown this once only; send it as Authorization: Api-Key <key>"}},
                     "required": ["key"]}]})json"},
        {"PasswordChangeRequest", R"json({
          "type": "object",
          "properties": {
            "old_password": {"type": "string", "format": "password"},
            "new_password": {"type": "string", "format": "password",
                             "description": "Django's validators: length, common, numeric, similarity"},
            "new_password2": {"type": "string", "format": "password"}
          },
          "required": ["old_password", "new_password", "new_password2"]})json"},
        {"Detail", R"json({
          "type": "object", "properties": {"detail": {"type": "string"}},
          "required": ["detail"]})json"},
        {"AccountDeleteRequest", R"json({
          "type": "object",
          "properties": {"password": {"type": "string", "format": "password"}},
          "required": ["password"]})json"},
        {"AccountDeleted", R"json({
          "type": "object",
          "properties": {"deleted": {"type": "object",
                                     "additionalProperties": {"type": "integer"},
                                     "description": "Rows removed, by kind: resumes, job_applications"}},
          "required": ["deleted"]})json"},
    };
}

http::Task<Response> AuthRoutes::list_api_keys(http::Context& ctx) {
    auto keys = co_await ApiKeyStore(ctx.db()).list(ctx.user().id);
    json::array out;
    out.reserve(keys.size());
    for (const auto& k : keys) out.push_back(api_key_json(k));
    co_return Response::json(200, std::move(out));
}

http::Task<Response> AuthRoutes::create_api_key(http::Context& ctx) {
    auto data = http::parse_object_data(ctx.request);
    http::ValidationErrors errors;
    auto name = http::char_field(data, "name", {.max_length = 100}, errors);
    auto can_write = scopes_field(data, errors);
    auto days =
        http::integer_field(data, "expires_in_days", {.required = false, .allow_null = true},
                            errors, 1, kMaxExpiryDays);
    errors.raise_if_any();
    ApiKeyStore store(ctx.db());
    const int64_t held = co_await store.count(ctx.user().id);
    if (held >= kMaxApiKeysPerUser) {
        http::throw_validation("non_field_errors",
                               "You have " + std::to_string(kMaxApiKeysPerUser) +
                                   " API keys already: revoke one to make another.");
    }
    const NewApiKey made = generate_api_key();
    ApiKey key;
    key.user_id = ctx.user().id;
    key.name = **name;
    key.can_write = *can_write;
    key.prefix = made.prefix;
    key.created_at = util::now();
    if (days && *days)
        key.expires_at = util::Timestamp{key.created_at.micros + **days * 86'400'000'000};
    ApiKey stored = co_await store.create(key, made.hash);
    json::object out = api_key_json(stored);
    out["key"] = made.key;
    Response res = Response::json(201, std::move(out));
    res.with_header("Cache-Control", "no-store");
    co_return res;
}

http::Task<Response> AuthRoutes::delete_api_key(http::Context& ctx) {
    const int64_t id = ctx.id_param();
    ApiKeyStore store(ctx.db());
    const bool removed = co_await store.remove(ctx.user().id, id);
    if (!removed) throw http::Error::not_found();
    co_return Response::empty(204);
}

http::Task<User> AuthRoutes::check_own_password(http::Context& ctx, std::string_view field,
                                                const std::string& password,
                                                std::string_view message) {
    ctx.db().pin_to_primary();  // the password as it is now
    auto user = co_await UserStore(ctx.db()).find(ctx.user().id);
    if (!user) throw http::Error::not_found();
    auto check = co_await gate_->run(
        [&] { return check_password(password, user->password, settings_.argon2); });
    if (!check) throw http::Error::unavailable();  // the hashing gate is full
    if (!check->ok) http::throw_validation(field, message);
    co_return std::move(*user);
}

http::Task<Response> AuthRoutes::change_password(http::Context& ctx) {
    auto data = http::parse_object_data(ctx.request);
    http::ValidationErrors errors;
    auto old_password = http::char_field(data, "old_password", {}, errors);
    auto new_password = http::char_field(data, "new_password", {}, errors);
    auto new_password2 = http::char_field(data, "new_password2", {}, errors);
    errors.raise_if_any();
    // Django's PasswordChangeForm: the old password first, then the new one.
    User user = co_await check_own_password(
        ctx, "old_password", **old_password,
        "Your old password was entered incorrectly. Please enter it again.");
    for (auto& msg :
         validate_password(**new_password, user.username, user.email, *common_passwords_)) {
        errors.add("new_password", msg);
    }
    if (**new_password != **new_password2)
        errors.add("new_password2", "The two password fields didn\u2019t match.");
    errors.raise_if_any();
    auto hash =
        co_await gate_->run([&] { return make_password(**new_password, settings_.argon2); });
    if (!hash) throw http::Error::unavailable();
    co_await AccountStore(ctx.db()).change_password(user.id, *hash);
    co_return Response::json(200, json::object{{"detail", "Password changed."}});
}

http::Task<Response> AuthRoutes::delete_account(http::Context& ctx) {
    auto data = http::parse_object_data(ctx.request);
    http::ValidationErrors errors;
    auto password = http::char_field(data, "password", {}, errors);
    errors.raise_if_any();
    User user = co_await check_own_password(
        ctx, "password", **password,
        "Your password was entered incorrectly. Please enter it again.");
    auto counts = co_await AccountStore(ctx.db()).delete_user(user.id, user_data_);
    if (!counts) throw http::Error::not_found();  // deleted by a concurrent request
    json::object deleted;
    for (auto& [name, n] : *counts) deleted[name] = n;
    co_return Response::json(200, json::object{{"deleted", std::move(deleted)}});
}

}  // namespace resumate::users
