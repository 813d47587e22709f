//! Property tests: the parsers never panic, whatever they are fed.

use claimsim::scenario::{self, links::parse_link_line};
use proptest::prelude::*;
use std::path::Path;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn link_parser_never_panics(line in "\\PC{0,60}") {
        let _ = parse_link_line(&line);
    }

    #[test]
    fn link_parser_never_panics_on_arrow_soup(line in "[A-Za-z0-9 &!#\\[\\],|?<>=α+-]{0,40}") {
        let _ = parse_link_line(&line);
    }

    #[test]
    fn parsed_links_survive_their_own_canonical_text(line in "[A-Za-z][A-Za-z0-9-]{0,8}( & !?[A-Za-z][A-Za-z0-9]{0,5})? (->|-\\||-\\?) [A-Za-z][A-Za-z0-9 ]{0,8}[A-Za-z]") {
        let link = parse_link_line(&line).unwrap().unwrap();
        let again = parse_link_line(&link.canonical()).unwrap().unwrap();
        prop_assert_eq!(again.canonical(), link.canonical());
    }

    #[test]
    fn whole_files_never_panic(text in "\\PC{0,200}") {
        let _ = scenario::parse(Path::new("fuzz.toml"), &text, None);
    }

    #[test]
    fn scenario_shaped_files_never_panic(
        network in "[A-Za-z &!|>?=-]{0,30}(\n[A-Za-z &!|>?=-]{0,30}){0,4}",
        node in "[A-Za-z-]{0,6}",
        level in proptest::num::f64::ANY,
    ) {
        let text = format!(
            "network = \"\"\"\n{network}\n\"\"\"\n[[intervention]]\nname = \"x\"\npress = {{ \"{node}\" = {level:?} }}\n[[expect]]\nintervention = \"x\"\nnode = \"{node}\"\nchange = \"up\"\n"
        );
        let _ = scenario::parse(Path::new("fuzz.toml"), &text, None);
    }
}
