/** The automatic column mapping, the mapping schema and the column plan. */
import { describe, expect, it } from "vitest";
import { planColumns } from "./column-plan";
import { ImportFileError } from "./import-error";
import { importMappingSchema, mappingHasPhone } from "./import-mapping.schema";
import { headerFingerprint, normalizeHeader, recognizeHeader, suggestMapping } from "./suggest-mapping";

describe("recognizeHeader", () => {
  it.each([
    // names
    ["First Name", "firstName"],
    ["FName", "firstName"],
    ["First", "firstName"],
    ["Customer First Name", "firstName"],
    ["first_name", "firstName"],
    ["Last Name", "lastName"],
    ["LName", "lastName"],
    ["Surname", "lastName"],
    ["Cust Last Name", "lastName"],
    ["Full Name", "fullName"],
    ["Customer Name", "fullName"],
    ["Name", "fullName"],
    ["Customer", "fullName"],
    // phones, preferred first
    ["Cell Phone", "mobilePhone"],
    ["Mobile", "mobilePhone"],
    ["Mobile Phone", "mobilePhone"],
    ["Cell #", "mobilePhone"],
    ["Phone (Mobile)", "mobilePhone"],
    ["Phone", "phone"],
    ["Phone Number", "phone"],
    ["Primary Phone", "phone"],
    ["Telephone", "phone"],
    ["Home Phone", "homePhone"],
    ["Evening Phone", "homePhone"],
    ["Work Phone", "workPhone"],
    ["Day Phone", "workPhone"],
    ["Business Phone", "workPhone"],
    // email
    ["Email", "email"],
    ["Email Address", "email"],
    ["E-mail", "email"],
    ["E-Mail Address:", "email"],
    ["Primary Email", "email"],
    // vehicle
    ["Year", "vehicleYear"],
    ["Vehicle Year", "vehicleYear"],
    ["Model Year", "vehicleYear"],
    ["Make", "vehicleMake"],
    ["Model", "vehicleModel"],
    ["Trim", "vehicleTrim"],
    ["Vehicle", "vehicle"],
    ["Vehicle of Interest", "vehicle"],
    ["VIN", "vehicleVin"],
    ["VIN #", "vehicleVin"],
    // activity, people, source, notes, consent
    ["Last Visit", "lastActivityAt"],
    ["Last Activity", "lastActivityAt"],
    ["Last Contact Date", "lastActivityAt"],
    ["Last Activity Date", "lastActivityAt"],
    ["Salesperson", "salesperson"],
    ["Sales Rep", "salesperson"],
    ["Sales Person", "salesperson"],
    ["Assigned To", "salesperson"],
    ["Lead Source", "source"],
    ["Source", "source"],
    ["Notes", "notes"],
    ["Comments", "notes"],
    ["Consent", "consent"],
    ["Opt In", "consent"],
    ["SMS Opt-In", "consent"],
    ["SMS Opt In Status", "consent"],
    ["Do Not Text", "doNotText"],
    ["SMS Opt-Out", "doNotText"],
    // the CRM's own record id
    ["Customer ID", "crmId"],
    ["Lead ID", "crmId"],
    ["Contact ID", "crmId"],
    ["CRM ID", "crmId"],
    ["DMS ID", "crmId"],
    ["Record ID", "crmId"],
    ["Prospect ID", "crmId"],
    ["ID", "crmId"],
    ["customer_id", "crmId"],
    ["CustomerID", "crmId"],
  ])("%j → %s", (header, field) => {
    expect(recognizeHeader(header)).toBe(field);
  });

  it.each([
    "Co-Buyer First Name",
    "Co-Buyer Cell Phone",
    "Spouse Phone",
    "Fax",
    "Fax Phone",
    "Phone Type",
    "Do Not Call",
    "Stock Number",
    "Email Opt In",
    "Address",
    "Salesperson ID",
    "Vehicle ID",
    "Co-Buyer ID",
    "Spouse ID",
    "",
  ])("leaves %j unmapped", (header) => {
    expect(recognizeHeader(header)).toBeNull();
  });
});

describe("suggestMapping", () => {
  it("maps a DealerSocket-style export, keeping every phone column as a fallback", () => {
    const headers = [
      "Customer ID",
      "First Name",
      "Last Name",
      "Cell Phone",
      "Home Phone",
      "Work Phone",
      "Email Address",
      "Year",
      "Make",
      "Model",
      "VIN",
      "Last Visit",
      "Salesperson",
      "Lead Source",
      "Notes",
    ];
    expect(suggestMapping(headers)).toEqual({
      "Customer ID": "crmId",
      "First Name": "firstName",
      "Last Name": "lastName",
      "Cell Phone": "mobilePhone",
      "Home Phone": "homePhone",
      "Work Phone": "workPhone",
      "Email Address": "email",
      Year: "vehicleYear",
      Make: "vehicleMake",
      Model: "vehicleModel",
      VIN: "vehicleVin",
      "Last Visit": "lastActivityAt",
      Salesperson: "salesperson",
      "Lead Source": "source",
      Notes: "notes",
    });
  });

  it("gives a single-valued field to its first column only", () => {
    expect(suggestMapping(["Email", "E-mail (2)", "Phone", "Phone (2)"])).toEqual({
      Email: "email",
      Phone: "phone",
      "Phone (2)": "phone",
    });
  });

  it("gives the CRM id to the first id column only (a second id is not the lead's)", () => {
    expect(suggestMapping(["Customer ID", "Lead ID", "Phone"])).toEqual({ "Customer ID": "crmId", Phone: "phone" });
  });

  it("produces a mapping the schema accepts", () => {
    const mapping = suggestMapping(["FName", "LName", "Mobile", "Comments", "Notes", "Customer Name", "Vehicle"]);
    expect(importMappingSchema.safeParse(mapping).success).toBe(true);
    expect(mappingHasPhone(mapping)).toBe(true);
  });
});

describe("headerFingerprint", () => {
  it("is the same for the same headers in another order, case or punctuation", () => {
    expect(headerFingerprint(["First Name", "Cell Phone"])).toBe(headerFingerprint(["cell phone", "FIRST_NAME"]));
    expect(headerFingerprint(["First Name", "Cell Phone"])).toMatch(/^[0-9a-f]{64}$/);
  });

  it("differs for a different shape", () => {
    expect(headerFingerprint(["First Name", "Cell Phone"])).not.toBe(headerFingerprint(["First Name", "Home Phone"]));
  });

  it("normalizes accents and symbols", () => {
    expect(normalizeHeader("  Téléphone #1 ")).toBe("telephone number 1");
  });
});

describe("importMappingSchema", () => {
  it("refuses a single-valued field mapped twice, naming both columns", () => {
    const parsed = importMappingSchema.safeParse({ "First Name": "firstName", FName: "firstName" });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(/First name.*First Name/);
  });

  it("refuses unknown fields", () => {
    expect(importMappingSchema.safeParse({ SSN: "ssn" }).success).toBe(false);
  });
});

describe("planColumns", () => {
  const headers = ["Name", "Home Phone", "Cell Phone", "Work", "Notes", "Comments"];

  it("orders phone columns by preference and keeps notes columns in file order", () => {
    const plan = planColumns(headers, {
      Name: "fullName",
      "Home Phone": "homePhone",
      "Cell Phone": "mobilePhone",
      Work: "workPhone",
      Comments: "notes",
      Notes: "notes",
    });
    expect(plan.phones).toEqual([2, 1, 3]);
    expect(plan.notes).toEqual([4, 5]);
    expect(plan.single).toEqual({ fullName: 0 });
  });

  function planProblem(mapping: unknown): string {
    try {
      planColumns(headers, mapping);
    } catch (err) {
      expect(err).toBeInstanceOf(ImportFileError);
      expect((err as ImportFileError).problem).toBe("invalid_mapping");
      return (err as Error).message;
    }
    return "accepted";
  }

  it("refuses a mapping without a phone column, saying why", () => {
    expect(planProblem({ Name: "fullName", Notes: "notes" })).toMatch(/No phone column is mapped/);
  });

  it("refuses a mapping naming a column the file does not have", () => {
    expect(planProblem({ "Cell Phone": "mobilePhone", Email: "email" })).toMatch(
      /column "Email" that this file does not have/,
    );
  });

  it("refuses a missing or malformed mapping", () => {
    expect(planProblem(undefined)).toMatch(/Choose which lead field/);
    expect(planProblem({ "Cell Phone": 5 })).toMatch(/not valid/);
  });
});
