// The account's own routes beyond the original: personal API keys for integrations
// (/api/auth/api-keys/, `Authorization: Api-Key rm_…`), changing the password (which ends every
// session and access token issued before) and deleting the account with everything in it.
#include <set>

#include "harness.hpp"

namespace e2e::account {
namespace {

constexpr std::string_view kKeys = "/api/auth/api-keys/";
constexpr std::string_view kPasswordChange = "/api/auth/password/change/";
constexpr std::string_view kAccount = "/api/auth/account/";
constexpr std::string_view kInvalidKey =
    R"({"detail":"Invalid API key.","code":"api_key_invalid"})";
constexpr std::string_view kReadOnly = R"({"detail":"This API key is read-only."})";
constexpr std::string_view kNotWithKey = R"({"detail":"API keys cannot be used for this action."})";

std::string key_path(int64_t id) {
    return std::string(kKeys) + std::to_string(id) + "/";
}

json::object make_key(const Server& s, const TestUser& u, const json::object& body) {
    Response r = post(s, std::string(kKeys), to_json(body), u.access);
    if (r.status != 201) throw std::runtime_error("key creation failed" + r.describe());
    return r.obj();
}

json::object make_key(const Server& s, const TestUser& u, bool write = false) {
    json::array scopes{"read"};
    if (write) scopes.emplace_back("write");
    return make_key(s, u, {{"name", "integration"}, {"scopes", scopes}});
}

// A request authenticated with an API key.
Response with_key(const Server& s, std::string method, std::string target, const std::string& key,
                  std::optional<std::string> body = std::nullopt) {
    return call(s, std::move(method), std::move(target), std::move(body), {}, "application/json",
                {{"Authorization", "Api-Key " + key}});
}

size_t resume_count(const Server& s, const TestUser& u) {
    Response r = get(s, "/api/resumes/", u.access);
    EXPECT_STATUS(r, 200);
    return r.status == 200 ? r.arr().size() : 0;
}

json::array key_list(const Server& s, const TestUser& u) {
    Response r = get(s, std::string(kKeys), u.access);
    EXPECT_STATUS(r, 200);
    return r.status == 200 ? r.arr() : json::array{};
}

std::string password_change(std::string_view old_password, std::string_view new_password,
                            std::string_view new_password2) {
    return to_json(json::object{{"old_password", old_password},
                                {"new_password", new_password},
                                {"new_password2", new_password2}});
}

Response delete_account(const Server& s, const TestUser& u, std::string_view password) {
    return call(s, "DELETE", std::string(kAccount), to_json(json::object{{"password", password}}),
                u.access);
}

// -------------------------------------------------------------------------------------------
// API keys

TEST(ApiKeys, AKeyIsShownOnceAndOnlyItsPrefixIsListed) {
    const Server& s = shared_server();
    TestUser u = create_user(s, "keys_made");
    Response r = post(s, std::string(kKeys),
                      to_json(json::object{{"name", "  Zapier  "}, {"scopes", {"read", "write"}}}),
                      u.access);
    ASSERT_STATUS(r, 201);
    EXPECT_SECURITY_HEADERS(r);
    EXPECT_EQ(r.header("Cache-Control"), "no-store");
    json::object made = r.obj();
    const std::string key = str(made.at("key"));
    EXPECT_EQ(key.size(), 43u) << key;
    EXPECT_EQ(key.substr(0, 3), "rm_");
    EXPECT_EQ(str(made.at("prefix")), key.substr(0, 11));
    EXPECT_EQ(str(made.at("name")), "Zapier");
    EXPECT_EQ(made.at("scopes"), (json::array{"read", "write"}));
    EXPECT_TRUE(is_timestamp(made.at("created_at")));
    EXPECT_TRUE(made.at("expires_at").is_null());
    EXPECT_TRUE(made.at("last_used_at").is_null());

    // Newest first; never the key itself.
    json::object second = make_key(s, u);
    json::array listed = key_list(s, u);
    ASSERT_EQ(listed.size(), 2u);
    EXPECT_EQ(listed[0].as_object().at("id"), second.at("id"));
    for (const auto& item : listed) {
        EXPECT_FALSE(item.as_object().contains("key"));
        EXPECT_EQ(item.as_object().size(), 7u) << to_json(item);
    }
    json::object first = listed[1].as_object();
    made.erase("key");
    EXPECT_EQ(first, made);

    // Only a hash is stored: the key's text is nowhere in the table.
    auto row =
        query_row(s.data_dir(), "SELECT COUNT(*) FROM resumate_apikey WHERE key_hash = '" + key +
                                    "' OR prefix = '" + key + "' OR name = '" + key + "'");
    if (row) {
        EXPECT_EQ((*row)[0], "0");
    }

    // Another user sees none of them.
    TestUser other = create_user(s, "keys_other");
    EXPECT_TRUE(key_list(s, other).empty());
}

TEST(ApiKeys, AReadKeyReadsAndCannotWrite) {
    const Server& s = shared_server();
    TestUser u = create_user(s, "keys_read");
    ASSERT_STATUS(post(s, "/api/resumes/", R"({"title":"CV","content":"# Me"})", u.access), 201);
    const std::string key = str(make_key(s, u).at("key"));

    Response list = with_key(s, "GET", "/api/resumes/", key);
    EXPECT_STATUS(list, 200);
    ASSERT_EQ(list.arr().size(), 1u);
    EXPECT_EQ(str(list.arr()[0].as_object().at("user")), u.username);
    const int64_t id = list.arr()[0].as_object().at("id").as_int64();
    EXPECT_STATUS(with_key(s, "GET", "/api/job-applications/stats/", key), 200);
    EXPECT_STATUS(with_key(s, "HEAD", "/api/resumes/", key), 200);

    const std::string path = "/api/resumes/" + std::to_string(id) + "/";
    for (auto [method, target, body] :
         std::vector<std::tuple<std::string, std::string, std::string>>{
             {"POST", "/api/resumes/", R"({"title":"x","content":"y"})"},
             {"PUT", path, R"({"title":"x","content":"y"})"},
             {"PATCH", path, R"({"title":"x"})"},
             {"DELETE", path, ""},
             {"POST", "/api/job-applications/", R"({"job_title":"x"})"},
             {"POST", "/api/ai/generate/", R"({"prompt":"x"})"}}) {
        Response r = with_key(s, method, target, key,
                              body.empty() ? std::nullopt : std::optional<std::string>(body));
        EXPECT_STATUS(r, 403);
        EXPECT_JSON(r, kReadOnly);
    }
    // Nothing changed.
    Response after = get(s, path, u.access);
    EXPECT_EQ(str(after.obj().at("title")), "CV");
    EXPECT_EQ(resume_count(s, u), 1u);
}

TEST(ApiKeys, AWriteKeyWritesAsItsUser) {
    const Server& s = shared_server();
    TestUser u = create_user(s, "keys_write");
    const std::string key = str(make_key(s, u, true).at("key"));
    Response made = with_key(s, "POST", "/api/resumes/", key, R"({"title":"CV","content":"# Me"})");
    ASSERT_STATUS(made, 201);
    EXPECT_EQ(str(made.obj().at("user")), u.username);
    const std::string path = "/api/resumes/" + std::to_string(made.obj().at("id").as_int64()) + "/";
    EXPECT_STATUS(with_key(s, "PATCH", path, key, R"({"title":"CV 2"})"), 200);
    EXPECT_STATUS(with_key(s, "DELETE", path, key), 204);
    EXPECT_EQ(resume_count(s, u), 0u);
    // Another user's objects stay 404 to a key as to a token.
    TestUser other = create_user(s, "keys_write_other");
    Response theirs = post(s, "/api/resumes/", R"({"title":"T","content":"c"})", other.access);
    ASSERT_STATUS(theirs, 201);
    EXPECT_STATUS(
        with_key(s, "GET", "/api/resumes/" + std::to_string(theirs.obj().at("id").as_int64()) + "/",
                 key),
        404);
}

TEST(ApiKeys, KeysCannotManageKeysTheAccountOrStaffRoutes) {
    const Server& s = shared_server();
    TestUser admin = admin_user(s);
    const std::string key = str(make_key(s, admin, true).at("key"));
    for (auto [method, target, body] :
         std::vector<std::tuple<std::string, std::string, std::string>>{
             {"GET", std::string(kKeys), ""},
             {"POST", std::string(kKeys), R"({"name":"x","scopes":["read","write"]})"},
             {"DELETE", key_path(1), ""},
             {"POST", std::string(kPasswordChange),
              password_change(kAdminPassword, "Another-pass-1", "Another-pass-1")},
             {"DELETE", std::string(kAccount), R"({"password":"x"})"}}) {
        Response r = with_key(s, method, target, key,
                              body.empty() ? std::nullopt : std::optional<std::string>(body));
        EXPECT_STATUS(r, 403);
        EXPECT_JSON(r, kNotWithKey);
    }
    // A staff user's key is not staff.
    Response staff_route = with_key(s, "GET", "/api/admin/ai-models/", key);
    EXPECT_STATUS(staff_route, 403);
    EXPECT_JSON(staff_route, kForbidden);
    EXPECT_STATUS(get(s, "/api/admin/ai-models/", admin.access), 200);
    EXPECT_EQ(key_list(s, admin).size(), 1u);
    EXPECT_STATUS(
        del(s, key_path(key_list(s, admin)[0].as_object().at("id").as_int64()), admin.access), 204);
}

TEST(ApiKeys, ARevokedKeyStopsAtOnceAndOthersIdsAre404) {
    const Server& s = shared_server();
    TestUser u = create_user(s, "keys_revoke");
    TestUser other = create_user(s, "keys_revoke_other");
    json::object made = make_key(s, u);
    const std::string key = str(made.at("key"));
    const int64_t id = made.at("id").as_int64();
    EXPECT_STATUS(with_key(s, "GET", "/api/resumes/", key), 200);

    EXPECT_STATUS(del(s, key_path(id), other.access), 404);
    EXPECT_STATUS(with_key(s, "GET", "/api/resumes/", key), 200);
    Response revoked = del(s, key_path(id), u.access);
    EXPECT_STATUS(revoked, 204);
    EXPECT_EQ(revoked.body, "");
    Response after = with_key(s, "GET", "/api/resumes/", key);
    EXPECT_STATUS(after, 401);
    EXPECT_JSON(after, kInvalidKey);
    EXPECT_STATUS(del(s, key_path(id), u.access), 404);
    for (std::string bad : {"0", "-1", "abc", "99999999999999999999"})
        EXPECT_STATUS(del(s, std::string(kKeys) + bad + "/", u.access), 404) << bad;
}

TEST(ApiKeys, ExpiredUnknownAndMalformedKeysAre401) {
    const Server& s = shared_server();
    TestUser u = create_user(s, "keys_expire");
    json::object made =
        make_key(s, u, {{"name", "short-lived"}, {"scopes", {"read"}}, {"expires_in_days", 30}});
    const std::string key = str(made.at("key"));
    ASSERT_TRUE(made.at("expires_at").is_string());
    // 30 days after it was made (to the second: both come from one clock reading).
    EXPECT_EQ(str(made.at("expires_at")).substr(19), str(made.at("created_at")).substr(19));
    EXPECT_STATUS(with_key(s, "GET", "/api/resumes/", key), 200);
    ASSERT_TRUE(
        execute_sql(s.data_dir(), "UPDATE resumate_apikey SET expires_at = created_at WHERE id = " +
                                      std::to_string(made.at("id").as_int64())));
    Response expired = with_key(s, "GET", "/api/resumes/", key);
    EXPECT_STATUS(expired, 401);
    EXPECT_JSON(expired, R"({"detail":"API key has expired.","code":"api_key_expired"})");
    EXPECT_EQ(expired.header("WWW-Authenticate"), R"(Bearer realm="api")");

    std::string unknown = key;
    unknown[20] = unknown[20] == 'a' ? 'b' : 'a';
    for (const std::string& bad : {unknown, std::string("rm_"), std::string("nope"),
                                   key.substr(0, 42), key + "x", std::string(4000, 'k')}) {
        Response r = with_key(s, "GET", "/api/resumes/", bad);
        EXPECT_STATUS(r, 401) << bad.substr(0, 50);
        EXPECT_JSON(r, kInvalidKey);
    }
    Response two = call(s, "GET", "/api/resumes/", std::nullopt, {}, "application/json",
                        {{"Authorization", "Api-Key " + key + " extra"}});
    EXPECT_STATUS(two, 401);
    EXPECT_JSON(two, kBadAuthHeader);
    // Another scheme is ignored, as DRF ignores one: the request is anonymous.
    Response other_scheme = call(s, "GET", "/api/resumes/", std::nullopt, {}, "application/json",
                                 {{"Authorization", "api-key " + key}});
    EXPECT_STATUS(other_scheme, 401);
    EXPECT_JSON(other_scheme, kNotProvided);
}

TEST(ApiKeys, LastUseIsRecordedAtMostOnceAMinute) {
    const Server& s = shared_server();
    TestUser u = create_user(s, "keys_used");
    json::object made = make_key(s, u);
    const std::string key = str(made.at("key"));
    const std::string id = std::to_string(made.at("id").as_int64());
    ASSERT_STATUS(with_key(s, "GET", "/api/resumes/", key), 200);
    const json::value first = key_list(s, u)[0].as_object().at("last_used_at");
    ASSERT_TRUE(is_timestamp(first)) << to_json(first);
    for (int i = 0; i < 3; ++i) ASSERT_STATUS(with_key(s, "GET", "/api/resumes/", key), 200);
    EXPECT_EQ(key_list(s, u)[0].as_object().at("last_used_at"), first);
    // A minute later (the last use moved back in time), the next use is recorded.
    ASSERT_TRUE(execute_sql(s.data_dir(),
                            "UPDATE resumate_apikey SET last_used_at = '2000-01-01 00:00:00' "
                            "WHERE id = " +
                                id));
    EXPECT_EQ(str(key_list(s, u)[0].as_object().at("last_used_at")).substr(0, 4), "2000");
    ASSERT_STATUS(with_key(s, "GET", "/api/resumes/", key), 200);
    const std::string now = str(key_list(s, u)[0].as_object().at("last_used_at"));
    EXPECT_GE(now, str(first)) << now;
}

TEST(ApiKeys, KeysOfAnInactiveUserStop) {
    const Server& s = shared_server();
    TestUser u = create_user(s, "keys_inactive");
    const std::string key = str(make_key(s, u).at("key"));
    ASSERT_TRUE(
        execute_sql(s.data_dir(), "UPDATE auth_user SET is_active = " +
                                      std::string(s.env().count("DATABASE_URL") ? "false" : "0") +
                                      " WHERE id = " + std::to_string(u.id)));
    Response r = with_key(s, "GET", "/api/resumes/", key);
    EXPECT_STATUS(r, 401);
    EXPECT_JSON(r, R"({"detail":"User is inactive","code":"user_inactive"})");
}

TEST(ApiKeys, HostileCreationBodiesAre400AndSaveNothing) {
    const Server& s = shared_server();
    TestUser u = create_user(s, "keys_hostile");
    const std::string k = std::string(kKeys);
    const std::vector<std::pair<std::string, std::string>> cases{
        {R"({})", R"({"name":["This field is required."],"scopes":["This field is required."]})"},
        {R"({"name":"","scopes":["read"]})", R"({"name":["This field may not be blank."]})"},
        {R"({"name":null,"scopes":["read"]})", R"({"name":["This field may not be null."]})"},
        {R"({"name":["a"],"scopes":["read"]})", R"({"name":["Not a valid string."]})"},
        {R"({"name":"x","scopes":[]})", R"({"scopes":["This list may not be empty."]})"},
        {R"({"name":"x","scopes":null})", R"({"scopes":["This field may not be null."]})"},
        {R"({"name":"x","scopes":"read"})",
         R"({"scopes":["Expected a list of items but got type \"str\"."]})"},
        {R"({"name":"x","scopes":{"read":true}})",
         R"({"scopes":["Expected a list of items but got type \"dict\"."]})"},
        {R"({"name":"x","scopes":[1]})", R"({"scopes":["Not a valid string."]})"},
        {R"({"name":"x","scopes":["admin"]})",
         R"({"scopes":["\"admin\" is not a valid choice."]})"},
        {R"({"name":"x","scopes":["write"]})",
         R"({"scopes":["The write scope needs the read scope."]})"},
        {R"({"name":"x","scopes":["read"],"expires_in_days":0})",
         R"({"expires_in_days":["Ensure this value is greater than or equal to 1."]})"},
        {R"({"name":"x","scopes":["read"],"expires_in_days":3651})",
         R"({"expires_in_days":["Ensure this value is less than or equal to 3650."]})"},
        {R"({"name":"x","scopes":["read"],"expires_in_days":"soon"})",
         R"({"expires_in_days":["A valid integer is required."]})"},
        {R"({"name":"x","scopes":["read"],"expires_in_days":1e300})",
         R"({"expires_in_days":["A valid integer is required."]})"},
        {to_json(json::object{{"name", std::string(101, 'n')}, {"scopes", {"read"}}}),
         R"({"name":["Ensure this field has no more than 100 characters."]})"},
        {R"([1,2])", ""},
        {R"({"name":"x","scopes":[)", ""},
    };
    for (const auto& [body, expected] : cases) {
        Response r = post(s, k, body, u.access);
        EXPECT_STATUS(r, 400) << body;
        if (!expected.empty()) {
            EXPECT_JSON(r, expected) << body;
        }
    }
    Response nul = post(s, k, R"({"name":"a\u0000b","scopes":["read"]})", u.access);
    EXPECT_STATUS(nul, 400);
    EXPECT_TRUE(key_list(s, u).empty());

    // Form bodies name the scopes as one value, comma-separated.
    Response form = post_form(s, k, "name=cli&scopes=read%2Cwrite", u.access);
    EXPECT_STATUS(form, 201);
    EXPECT_EQ(form.obj().at("scopes"), (json::array{"read", "write"}));
    // A null expiry is no expiry; a 150-character Unicode name within 100 characters is not.
    Response unicode =
        post(s, k,
             to_json(json::object{{"name", "Zapier \xe2\x9c\x93 \xe6\x97\xa5\xe6\x9c\xac"},
                                  {"scopes", {"read", "read"}},
                                  {"expires_in_days", nullptr}}),
             u.access);
    EXPECT_STATUS(unicode, 201);
    EXPECT_EQ(unicode.obj().at("scopes"), (json::array{"read"}));
    EXPECT_TRUE(unicode.obj().at("expires_at").is_null());
}

TEST(ApiKeys, AUserHoldsAtMostAHundredKeys) {
    const Server& s = shared_server();
    TestUser u = create_user(s, "keys_many");
    for (int i = 0; i < 100; ++i) make_key(s, u);
    Response r = post(s, std::string(kKeys), R"({"name":"one more","scopes":["read"]})", u.access);
    EXPECT_STATUS(r, 400);
    EXPECT_JSON(
        r,
        R"({"non_field_errors":["You have 100 API keys already: revoke one to make another."]})");
    EXPECT_EQ(key_list(s, u).size(), 100u);
}

TEST(ApiKeys, AKeyIsThrottledAsItsUserAndPasswordRoutesAsLogins) {
    Server s(ServerOptions{
        .env = {{"RESUMATE_THROTTLE", "anon=1000/min,user=6/min,login=2/min,register=1000/min"}},
        .with_superuser = false,
        .tag = "keythrottle"});
    s.start();
    TestUser u = create_user(s, "keys_throttled");
    const std::string key = str(make_key(s, u).at("key"));  // the user's 1st request
    // The user's rate counts the key's requests and the token's together.
    EXPECT_STATUS(get(s, "/api/resumes/", u.access), 200);
    EXPECT_STATUS(with_key(s, "GET", "/api/resumes/", key), 200);
    EXPECT_STATUS(get(s, "/api/resumes/", u.access), 200);
    EXPECT_STATUS(with_key(s, "GET", "/api/resumes/", key), 200);
    EXPECT_STATUS(get(s, "/api/resumes/", u.access), 200);
    Response limited = with_key(s, "GET", "/api/resumes/", key);
    EXPECT_STATUS(limited, 429);
    EXPECT_FALSE(limited.header("Retry-After").empty());
    EXPECT_STATUS(get(s, "/api/resumes/", u.access), 429);

    // Guessing the password through password/change/ or account/ is throttled as logins are.
    // (login=2/min, counted per user once signed in.)
    TestUser v = create_user(s, "pw_throttled");
    const std::string guess =
        password_change("guess-1", "Quiet-lemon-tree-27", "Quiet-lemon-tree-27");
    EXPECT_STATUS(post(s, std::string(kPasswordChange), guess, v.access), 400);
    EXPECT_STATUS(post(s, std::string(kPasswordChange), guess, v.access), 400);
    Response third = post(s, std::string(kPasswordChange), guess, v.access);
    EXPECT_STATUS(third, 429);
    EXPECT_STATUS(delete_account(s, v, v.password), 429);
    EXPECT_EQ(s.stop(), 0);
}

// -------------------------------------------------------------------------------------------
// Password change

TEST(PasswordChange, EndsEverySessionAndAccessTokenIssuedBefore) {
    const Server& s = shared_server();
    TestUser u = create_user(s, "pw_change");
    TestUser second_device = login(s, u.username, u.password);
    const std::string key = str(make_key(s, u).at("key"));
    // A token as the Django version mints it (no password claim) works before and after.
    const std::string django_style = mint_token(token_claims(u.id));
    EXPECT_STATUS(get(s, "/api/resumes/", django_style), 200);

    Response changed =
        post(s, std::string(kPasswordChange),
             password_change(u.password, "Quiet-lemon-tree-27", "Quiet-lemon-tree-27"), u.access);
    ASSERT_STATUS(changed, 200);
    EXPECT_JSON(changed, R"({"detail":"Password changed."})");

    // Every access token issued under the old password: 401 with simplejwt's body.
    for (const std::string& access : {u.access, second_device.access}) {
        Response r = get(s, "/api/resumes/", access);
        EXPECT_STATUS(r, 401);
        EXPECT_JSON(r, access_token_error());
    }
    // Every refresh token: blacklisted.
    for (const std::string& refresh : {u.refresh, second_device.refresh}) {
        Response r =
            post(s, "/api/auth/token/refresh/", to_json(json::object{{"refresh", refresh}}));
        EXPECT_STATUS(r, 401);
        EXPECT_JSON(r, R"({"detail":"Token is blacklisted","code":"token_not_valid"})");
    }
    // The old password no longer logs in; the new one does, and its tokens work.
    Response old_login =
        post(s, "/api/auth/token/",
             to_json(json::object{{"username", u.username}, {"password", u.password}}));
    EXPECT_STATUS(old_login, 401);
    TestUser fresh = login(s, u.username, "Quiet-lemon-tree-27");
    EXPECT_STATUS(get(s, "/api/resumes/", fresh.access), 200);
    Response refreshed =
        post(s, "/api/auth/token/refresh/", to_json(json::object{{"refresh", fresh.refresh}}));
    ASSERT_STATUS(refreshed, 200);
    const std::string from_refresh = str(refreshed.obj().at("access"));
    EXPECT_STATUS(get(s, "/api/resumes/", from_refresh), 200);
    EXPECT_EQ(jwt_part(from_refresh, 1).at("pwh"), jwt_part(fresh.access, 1).at("pwh"));
    EXPECT_NE(jwt_part(fresh.access, 1).at("pwh"), jwt_part(u.access, 1).at("pwh"));
    // Personal API keys are the integrations' own credentials: they keep working.
    EXPECT_STATUS(with_key(s, "GET", "/api/resumes/", key), 200);
    EXPECT_STATUS(get(s, "/api/resumes/", django_style), 200);
}

TEST(PasswordChange, WrongOldPasswordOrWeakNewOneChangesNothing) {
    const Server& s = shared_server();
    TestUser u = create_user(s, "pw_refused");
    const std::string p = std::string(kPasswordChange);
    Response wrong =
        post(s, p, password_change("not-my-password", "Quiet-lemon-tree-27", "Quiet-lemon-tree-27"),
             u.access);
    EXPECT_STATUS(wrong, 400);
    EXPECT_JSON(
        wrong,
        R"({"old_password":["Your old password was entered incorrectly. Please enter it again."]})");
    Response weak = post(s, p, password_change(u.password, "123", "1234"), u.access);
    EXPECT_STATUS(weak, 400);
    EXPECT_JSON(
        weak,
        R"({"new_password":["This password is too short. It must contain at least 8 characters.","This password is too common.","This password is entirely numeric."],"new_password2":["The two password fields didn’t match."]})");
    Response similar = post(s, p, password_change(u.password, u.username, u.username), u.access);
    EXPECT_STATUS(similar, 400);
    EXPECT_JSON(similar, R"({"new_password":["The password is too similar to the username."]})");
    Response missing = post(s, p, "{}", u.access);
    EXPECT_STATUS(missing, 400);
    EXPECT_JSON(
        missing,
        R"({"old_password":["This field is required."],"new_password":["This field is required."],"new_password2":["This field is required."]})");
    for (std::string body : {R"({"old_password":1,"new_password":[],"new_password2":{}})", R"([])",
                             R"("x")", R"({"old_password":)"}) {
        EXPECT_STATUS(post(s, p, body, u.access), 400) << body;
    }
    // Nothing changed: the tokens and the password still work.
    EXPECT_STATUS(get(s, "/api/resumes/", u.access), 200);
    EXPECT_STATUS(
        post(s, "/api/auth/token/refresh/", to_json(json::object{{"refresh", u.refresh}})), 200);
    login(s, u.username, u.password);
    // Only with the account's own token.
    EXPECT_STATUS(
        post(s, p, password_change(u.password, "Quiet-lemon-tree-27", "Quiet-lemon-tree-27")), 401);
}

// -------------------------------------------------------------------------------------------
// Account deletion

TEST(AccountDeletion, RemovesTheUserAndEverythingTheyOwnedAndSaysWhat) {
    const Server& s = shared_server();
    TestUser u = create_user(s, "acct_delete");
    TestUser other = create_user(s, "acct_keep");
    int64_t resume = 0;
    for (int i = 0; i < 2; ++i) {
        Response r = post(s, "/api/resumes/", R"({"title":"CV","content":"# Me"})", u.access);
        ASSERT_STATUS(r, 201);
        resume = r.obj().at("id").as_int64();
    }
    std::vector<int64_t> jobs;
    for (int i = 0; i < 3; ++i) {
        Response r = post(s, "/api/job-applications/",
                          to_json(json::object{{"job_title", "Engineer"}, {"resume_used", resume}}),
                          u.access);
        ASSERT_STATUS(r, 201);
        jobs.push_back(r.obj().at("id").as_int64());
    }
    // One in the trash counts too.
    ASSERT_STATUS(del(s, "/api/job-applications/" + std::to_string(jobs[0]) + "/", u.access), 204);
    ASSERT_STATUS(post(s, "/api/resumes/", R"({"title":"Theirs","content":"c"})", other.access),
                  201);
    const std::string key = str(make_key(s, u, true).at("key"));

    Response wrong = delete_account(s, u, "not-my-password");
    EXPECT_STATUS(wrong, 400);
    EXPECT_JSON(
        wrong, R"({"password":["Your password was entered incorrectly. Please enter it again."]})");
    Response missing = call(s, "DELETE", std::string(kAccount), "{}", u.access);
    EXPECT_STATUS(missing, 400);
    EXPECT_JSON(missing, R"({"password":["This field is required."]})");
    EXPECT_EQ(resume_count(s, u), 2u);

    Response deleted = delete_account(s, u, u.password);
    ASSERT_STATUS(deleted, 200);
    EXPECT_JSON(deleted, R"({"deleted":{"resumes":2,"job_applications":3}})");

    // The user is gone: tokens, the refresh token, the key and the password all stop.
    Response access = get(s, "/api/resumes/", u.access);
    EXPECT_STATUS(access, 401);
    EXPECT_JSON(access, R"({"detail":"User not found","code":"user_not_found"})");
    EXPECT_STATUS(
        post(s, "/api/auth/token/refresh/", to_json(json::object{{"refresh", u.refresh}})), 401);
    EXPECT_STATUS(with_key(s, "GET", "/api/resumes/", key), 401);
    EXPECT_STATUS(post(s, "/api/auth/token/",
                       to_json(json::object{{"username", u.username}, {"password", u.password}})),
                  401);
    for (const char* table : {"resume_resume", "job_tracker_jobapplication", "resumate_apikey"}) {
        auto row = query_row(s.data_dir(), std::string("SELECT COUNT(*) FROM ") + table +
                                               " WHERE user_id = " + std::to_string(u.id));
        if (row) {
            EXPECT_EQ((*row)[0], "0") << table;
        }
    }
    // Nobody else lost anything, and the name is free again.
    EXPECT_EQ(resume_count(s, other), 1u);
    Response again = post(s, "/api/auth/register/",
                          to_json(json::object{{"username", u.username},
                                               {"email", ""},
                                               {"password", u.password},
                                               {"password2", u.password}}));
    EXPECT_STATUS(again, 201);
    TestUser reborn = login(s, u.username, u.password);
    EXPECT_NE(reborn.id, u.id);
    EXPECT_EQ(resume_count(s, reborn), 0u);
}

TEST(AccountDeletion, AnEmptyAccountReportsZeros) {
    const Server& s = shared_server();
    TestUser u = create_user(s, "acct_empty");
    Response r = delete_account(s, u, u.password);
    EXPECT_STATUS(r, 200);
    EXPECT_JSON(r, R"({"deleted":{"resumes":0,"job_applications":0}})");
    // A second try with the same (now dead) token.
    EXPECT_STATUS(delete_account(s, u, u.password), 401);
}

// -------------------------------------------------------------------------------------------
// The API description

TEST(AccountRoutes, AreInTheApiDescriptionWithTheKeyScheme) {
    Response r = get(shared_server(), "/api/schema/");
    ASSERT_STATUS(r, 200);
    json::object doc = r.obj();
    json::object paths = doc.at("paths").as_object();
    for (const char* p : {"/api/auth/api-keys/", "/api/auth/api-keys/{id}/",
                          "/api/auth/password/change/", "/api/auth/account/"}) {
        EXPECT_TRUE(paths.contains(p)) << p;
    }
    json::object schemes = doc.at("components").at("securitySchemes").as_object();
    ASSERT_TRUE(schemes.contains("apiKeyAuth"));
    EXPECT_EQ(schemes.at("apiKeyAuth").at("type"), "apiKey");
    // Key routes take only the account's own token; resource routes take either.
    EXPECT_EQ(paths.at("/api/auth/api-keys/").at("get").at("security"),
              (json::array{json::object{{"bearerAuth", json::array{}}}}));
    EXPECT_EQ(paths.at("/api/resumes/").at("get").at("security").as_array().size(), 2u);
}

}  // namespace
}  // namespace e2e::account
