// The compiled part of Asio (with its SSL support) and Beast, built once for the whole project:
// every translation unit is compiled with BOOST_ASIO_SEPARATE_COMPILATION and
// BOOST_BEAST_SEPARATE_COMPILATION (see the top-level CMakeLists.txt), so the headers declare
// these functions instead of defining them inline.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
