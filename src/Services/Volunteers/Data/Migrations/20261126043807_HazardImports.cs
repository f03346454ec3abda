using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Platform.Volunteers.Data.Migrations
{
    /// <inheritdoc />
    public partial class HazardImports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ExternalId",
                table: "hazard_reports",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Source",
                table: "hazard_reports",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "Live");

            migrationBuilder.CreateIndex(
                name: "IX_hazard_reports_ExternalId",
                table: "hazard_reports",
                column: "ExternalId",
                unique: true,
                filter: "\"ExternalId\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_hazard_reports_ExternalId",
                table: "hazard_reports");

            migrationBuilder.DropColumn(
                name: "ExternalId",
                table: "hazard_reports");

            migrationBuilder.DropColumn(
                name: "Source",
                table: "hazard_reports");
        }
    }
}
