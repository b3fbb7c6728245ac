#!/usr/bin/env python3
"""Tests of scripts/check-layers.py on small trees written to a temporary directory: a clean
tree passes, and each kind of planted violation fails with a message naming the file and line."""

import os
import subprocess
import sys
import tempfile
import unittest

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts",
                      "check-layers.py")

TABLE = """# a comment
util:
db: util
http: util db
users: db http util
jobs: db http util
app: jobs users http db util
"""

CLEAN = {
    "src/util/strings.hpp": "#pragma once\n#include <string>\n",
    "src/util/strings.cpp": '#include "util/strings.hpp"\n',
    "src/db/database.hpp": '#pragma once\n#include "util/strings.hpp"\n',
    "src/http/errors.hpp": '#pragma once\n#include "db/database.hpp"\n',
    "src/users/user_internal.hpp": "#pragma once\n",
    "src/users/detail/hash.hpp": "#pragma once\n",
    "src/users/users.cpp": ('#include "users/user_internal.hpp"\n#include "users/detail/hash.hpp"\n'
                            '#include "http/errors.hpp"\n#include "util/strings.hpp"\n'),
    "src/users/sub/more.cpp": '#include "users/user_internal.hpp"\n',
    "src/users/detail/hash.cpp": '#include "hash.hpp"\n',
    "src/jobs/jobs.cpp": '#include "http/errors.hpp"\n',
    "src/app/app.cpp": '#include "users/users.hpp"\n#include "jobs/jobs.hpp"\n',
    "src/main.cpp": '#include "app/app.hpp"\n#include "db/database.hpp"\n',
    "src/pch.hpp": "#include <vector>\n",
}


class CheckLayersTest(unittest.TestCase):
    def run_on(self, files, table=TABLE):
        with tempfile.TemporaryDirectory() as root:
            os.makedirs(os.path.join(root, "src"))
            with open(os.path.join(root, "src", "layers.txt"), "w") as f:
                f.write(table)
            for path, text in files.items():
                full = os.path.join(root, path)
                os.makedirs(os.path.dirname(full), exist_ok=True)
                with open(full, "w") as f:
                    f.write(text)
            result = subprocess.run([sys.executable, SCRIPT, "--root", root],
                                    capture_output=True, text=True)
            return result.returncode, result.stdout + result.stderr

    def assert_fails(self, extra, *expected):
        files = dict(CLEAN)
        files.update(extra)
        code, out = self.run_on(files)
        self.assertEqual(code, 1, out)
        for text in expected:
            self.assertIn(text, out)

    def test_clean_tree_passes(self):
        code, out = self.run_on(CLEAN)
        self.assertEqual(code, 0, out)
        self.assertEqual(out, "")

    def test_logging_through_spdlog_directly_fails(self):
        self.assert_fails({"src/jobs/jobs.cpp": 'void f() {\n    spdlog::warn("x {}", 1);\n}\n'},
                          "src/jobs/jobs.cpp:2: logs through spdlog directly")
        self.assert_fails({"src/jobs/jobs.cpp": 'void f() { access_->log(level, "{}", 1); }\n'},
                          "src/jobs/jobs.cpp:1: logs through spdlog directly")

    def test_logging_through_util_log_and_spdlog_levels_pass(self):
        files = dict(CLEAN)
        files["src/jobs/jobs.cpp"] = ('void f() {\n    util::log::warn("x {}", 1);\n'
                                      '    auto l = spdlog::level::info;  // spdlog::info( in a comment\n}\n')
        files["src/util/log.cpp"] = 'void g() { spdlog::default_logger_raw()->log(l, "{}", m); }\n'
        code, out = self.run_on(files)
        self.assertEqual(code, 0, out)

    def test_lower_layer_including_a_higher_one_fails(self):
        self.assert_fails({"src/db/session.cpp": '#include <vector>\n\n#include "http/errors.hpp"\n'},
                          'src/db/session.cpp:3: includes "http/errors.hpp": db may not see the layer http')

    def test_angle_bracket_include_of_a_layer_is_checked(self):
        self.assert_fails({"src/util/x.cpp": "#include <db/database.hpp>\n"},
                          "src/util/x.cpp:1:", "util may not see the layer db")

    def test_feature_including_another_feature_fails(self):
        self.assert_fails({"src/jobs/jobs2.cpp": '#include "users/users.hpp"\n'},
                          "src/jobs/jobs2.cpp:1:", "jobs may not see the layer users")

    def test_transitively_listed_layer_is_visible(self):
        # jobs lists http, which lists db: jobs may include db (and the clean tree has it).
        files = dict(CLEAN)
        files["src/jobs/store.cpp"] = '#include "db/database.hpp"\n'
        code, out = self.run_on(files, TABLE.replace("jobs: db http util", "jobs: http"))
        self.assertEqual(code, 0, out)

    def test_internal_header_of_another_feature_fails(self):
        self.assert_fails({"src/app/wire.cpp": '#include "users/user_internal.hpp"\n'},
                          'src/app/wire.cpp:1: includes "users/user_internal.hpp", which is private to src/users/')

    def test_detail_header_of_another_folder_fails(self):
        self.assert_fails({"src/app/wire.cpp": '#  include "users/detail/hash.hpp"\n'},
                          "src/app/wire.cpp:1:", "private to src/users/")

    def test_internal_header_of_a_subfolder_is_private_to_it(self):
        self.assert_fails({"src/users/sub/x_internal.hpp": "#pragma once\n",
                           "src/users/login.cpp": '#include "users/sub/x_internal.hpp"\n'},
                          "src/users/login.cpp:1:", "private to src/users/sub/")

    def test_main_sees_what_app_sees_but_root_files_see_nothing(self):
        self.assert_fails({"src/boost_impl.cpp": '#include "util/strings.hpp"\n'},
                          "src/boost_impl.cpp:1:", "the root of src/ may not see the layer util")

    def test_folder_missing_from_the_table_fails(self):
        self.assert_fails({"src/offline/writer.cpp": "#include <string>\n"},
                          "src/offline/: not a layer in src/layers.txt")

    def test_table_listing_a_layer_below_fails(self):
        code, out = self.run_on(CLEAN, TABLE.replace("db: util", "db: util http"))
        self.assertEqual(code, 2, out)
        self.assertIn("layer 'db' lists 'http', which is not a layer above it", out)

if __name__ == "__main__":
    unittest.main()
