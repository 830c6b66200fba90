//! Document context on sentences written for the tests: the first-level
//! region (admin1) of every place, checked in the index.

use crate::common::index;

const SPRINGFIELD_IL: &str = "geonames:4250542";
const SPRINGFIELD_MA: &str = "geonames:4951788";
const ILLINOIS: &str = "geonames:4896861";
const USA: &str = "geonames:6252001";

#[test]
fn cities_share_their_region_number_with_their_region() {
    let index = index();
    let ordinal = |id: &str| index.find_id(id).unwrap_or_else(|| panic!("{id}"));
    let region = |id: &str| index.admin1(ordinal(id));
    assert!(region(ILLINOIS).is_some());
    assert_eq!(region(SPRINGFIELD_IL), region(ILLINOIS));
    assert!(region(SPRINGFIELD_MA).is_some());
    assert_ne!(region(SPRINGFIELD_MA), region(ILLINOIS));
    // A country lies in no first-level region.
    assert_eq!(region(USA), None);
    // The payload keeps the code itself.
    let entity = index.entity(ordinal(SPRINGFIELD_IL)).expect("decodes");
    assert_eq!(entity.admin1.as_deref(), Some("US.IL"));
    let entity = index.entity(ordinal(ILLINOIS)).expect("decodes");
    assert_eq!(entity.admin1.as_deref(), Some("US.IL"));
}
